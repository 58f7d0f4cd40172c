using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Sandbox.Testing;
using Snapshot.Job.Database;
using Snapshot.Job.Manifest;
using Snapshot.Job.Masking;

namespace Snapshot.Job.IntegrationTests;

/// <summary>What the tests do with a snapshot: restore it as a developer would, and read or compare its content.</summary>
internal static class Snapshots
{
    /// <summary>Restores a dump into a new scratch database with pg_restore (--no-owner --no-acl, as the README says).</summary>
    public static async Task<ScratchDatabase> RestoreAsync(PostgresFixture postgres, string dump)
    {
        var database = await postgres.CreateScratchDatabaseAsync("snaprestore");
        await using var connection = await database.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        var serverMajor = connection.PostgreSqlVersion.Major;
        var tools = await PgTools.FindAsync(null, serverMajor, "the test server", TestContext.Current.CancellationToken);
        var start = new ProcessStartInfo(tools.PgRestore) { RedirectStandardError = true };
        foreach (var argument in new[] { "--no-owner", "--no-acl", "--exit-on-error", $"--dbname={database.Name}", dump })
        {
            start.ArgumentList.Add(argument);
        }

        PgConnectionEnvironment.Apply(start.Environment, database.ConnectionString);
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"pg_restore of {dump} failed: {error}");
        return database;
    }

    /// <summary>Table, rows and checksum of each table, as a manifest lists them.</summary>
    public static IEnumerable<(string Table, long Rows, string Checksum)> Content(SnapshotManifest manifest) =>
        manifest.Tables.Select(table => (table.Table, table.Rows, table.Checksum)).OrderBy(table => table.Table, StringComparer.Ordinal);

    /// <summary>The same, computed from a database (the job's own TableFingerprint).</summary>
    public static async Task<List<(string Table, long Rows, string Checksum)>> ContentAsync(NpgsqlDataSource dataSource, IEnumerable<string> tables)
    {
        var content = new List<(string, long, string)>();
        foreach (var name in tables.Order(StringComparer.Ordinal))
        {
            Assert.True(TableName.TryParse(name, out var table));
            var (rows, checksum) = await TableFingerprint.ComputeAsync(dataSource, table, TestContext.Current.CancellationToken);
            content.Add((name, rows, checksum));
        }

        return content;
    }

    /// <summary>Every table outside PostgreSQL's own schemas, as "schema.table", sorted.</summary>
    public static async Task<List<string>> AllTablesAsync(NpgsqlDataSource dataSource)
    {
        var tables = new List<string>();
        await using var list = dataSource.CreateCommand(
            "SELECT schemaname || '.' || tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY schemaname || '.' || tablename COLLATE \"C\"");
        await using var reader = await list.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    /// <summary>Every row of every table, as PostgreSQL prints rows (bytea as \x hex), "table: row" per line.</summary>
    public static async Task<string> AllRowsAsync(NpgsqlDataSource dataSource)
    {
        var text = new System.Text.StringBuilder();
        foreach (var table in await AllTablesAsync(dataSource))
        {
            Assert.True(TableName.TryParse(table, out var name));
            await using var rows = dataSource.CreateCommand($"SELECT t::text FROM {name.Quoted} AS t");
            await using var reader = await rows.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                text.Append(table).Append(": ").AppendLine(reader.GetString(0));
            }
        }

        return text.ToString();
    }

    public static async Task<object?> ScalarAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }

    public static async Task<long> CountAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), CultureInfo.InvariantCulture);
    }
}
