using Npgsql;

namespace Lab.Checker.Checks.CompositeIndexes;

/// <summary>
/// Empties a table's visibility map, so that each verify starts as a freshly loaded table does: an index-only scan
/// then needs the learner's VACUUM. Uses the pg_visibility extension (contrib, shipped with PostgreSQL) when it
/// can be installed, else touches a row in every page, which clears the page's all-visible bit the same way.
/// </summary>
public static class VisibilityMap
{
    public static async Task<bool> AvailableAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_visibility", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }
        catch (PostgresException)
        {
            return false;
        }
    }

    public static async Task ForgetAsync(NpgsqlConnection connection, string table, bool extension, CancellationToken cancellationToken)
    {
        var sql = extension
            ? $"SELECT pg_truncate_visibility_map('{table}'::regclass); ANALYZE {table}"
            : $"UPDATE {table} SET subject = subject WHERE id % 40 = 0; ANALYZE {table}";
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
