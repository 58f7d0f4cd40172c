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

    /// <summary>All-visible pages and all pages of <paramref name="table"/> (0, 0 when pg_visibility cannot be used).</summary>
    public static async Task<(long AllVisible, long Pages)> AllVisibleAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken)
    {
        try
        {
            await using var find = new NpgsqlCommand("SELECT quote_ident(extnamespace::regnamespace::text) FROM pg_extension WHERE extname = 'pg_visibility'", connection);
            if (await find.ExecuteScalarAsync(cancellationToken) is not string schema)
            {
                return (0, 0);
            }

            await using var command = new NpgsqlCommand(
                $"SELECT (SELECT all_visible FROM {schema}.pg_visibility_map_summary(@table::regclass)), pg_relation_size(@table::regclass) / current_setting('block_size')::bigint", connection);
            command.Parameters.AddWithValue("table", table);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetInt64(1)) : (0, 0);
        }
        catch (PostgresException)
        {
            return (0, 0);
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
