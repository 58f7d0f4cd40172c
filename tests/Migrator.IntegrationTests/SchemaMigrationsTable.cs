using Npgsql;

namespace Migrator.IntegrationTests;

/// <summary>Reads what Evolve recorded in public.schema_migrations, and what exists, in a test's database.</summary>
internal static class SchemaMigrationsTable
{
    /// <summary>The rows of versioned migrations (Evolve's type 0), failed attempts among them, in the order they were written.</summary>
    public static async Task<List<(string Version, string Name, string Checksum, bool Success)>> ReadAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT version, name, checksum, success FROM schema_migrations WHERE type = 0 ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<(string, string, string, bool)>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3)));
        }

        return rows;
    }

    /// <summary>The files recorded as applied, e.g. "V0001_users.sql".</summary>
    public static async Task<List<string>> AppliedAsync(NpgsqlDataSource dataSource) =>
        (await ReadAsync(dataSource)).Where(row => row.Success).Select(row => row.Name).ToList();

    public static async Task<bool> TableExistsAsync(NpgsqlDataSource dataSource, string table)
    {
        await using var command = dataSource.CreateCommand("SELECT to_regclass($1) IS NOT NULL");
        command.Parameters.AddWithValue($"public.{table}");
        return (bool)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    public static async Task<object?> ScalarAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }

    public static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
