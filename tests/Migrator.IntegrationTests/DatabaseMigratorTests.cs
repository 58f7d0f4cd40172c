using System.Text.RegularExpressions;
using Npgsql;
using Sandbox.Testing;

namespace Migrator.IntegrationTests;

/// <summary><see cref="DatabaseMigrator"/> (Evolve, configured as production runs it) against scratch databases.</summary>
public sealed partial class DatabaseMigratorTests(PostgresFixture postgres)
{
    private const string Database = "appdb";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Applies_the_appdb_migrations_in_order_and_records_each_file_with_its_checksum()
    {
        await using var scratch = await postgres.CreateScratchDatabaseAsync("migrate");
        var files = MigrationFiles.For("appdb");

        var report = await DatabaseMigrator.MigrateAsync(scratch.DataSource, "appdb", cancellationToken: Cancellation);

        Assert.Equal(files, report.Applied);
        Assert.Empty(report.AlreadyApplied);
        var recorded = await SchemaMigrationsTable.ReadAsync(scratch.DataSource);
        Assert.Equal(files.Select(MigrationFiles.FileNameOf), recorded.Select(row => row.Name));
        Assert.Equal(files.Select(name => MigrationFiles.VersionOf(name)), recorded.Select(row => row.Version));
        Assert.All(recorded, row => Assert.True(row.Success && Md5Hex().IsMatch(row.Checksum), row.ToString()));
        foreach (var table in new[] { "users", "api_keys", "chirps", "outbox", "idempotency_keys" })
        {
            Assert.True(await SchemaMigrationsTable.TableExistsAsync(scratch.DataSource, table), $"table {table} should exist");
        }
    }

    [Fact]
    public async Task A_second_run_applies_nothing()
    {
        await using var scratch = await postgres.CreateScratchDatabaseAsync("rerun");
        await DatabaseMigrator.MigrateAsync(scratch.DataSource, "appdb", cancellationToken: Cancellation);

        var second = await DatabaseMigrator.MigrateAsync(scratch.DataSource, "appdb", cancellationToken: Cancellation);

        Assert.Empty(second.Applied);
        Assert.Equal(MigrationFiles.For("appdb"), second.AlreadyApplied);
    }

    [Fact]
    public async Task Two_concurrent_runs_apply_each_migration_exactly_once_and_both_succeed()
    {
        await using var scratch = await postgres.CreateScratchDatabaseAsync("concurrent");
        // Two data sources: two separate sessions, as two Migrator processes would have.
        await using var other = NpgsqlDataSource.Create(scratch.ConnectionString);
        using var files = MigrationDirectory.ThreeTables(firstSleepSeconds: 1);

        var reports = await Task.WhenAll(
            DatabaseMigrator.MigrateAsync(scratch.DataSource, Database, files.Options, Cancellation),
            DatabaseMigrator.MigrateAsync(other, Database, files.Options, Cancellation));

        var applied = reports.SelectMany(report => report.Applied).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["0001_first", "0002_second", "0003_third"], applied);
        Assert.Contains(reports, report => report.Applied.Count == 0 && report.AlreadyApplied.Count == 3);
        Assert.Equal(["V0001_first.sql", "V0002_second.sql", "V0003_third.sql"], await SchemaMigrationsTable.AppliedAsync(scratch.DataSource));
    }

    [Fact]
    public async Task A_changed_applied_file_is_an_error_naming_it_and_nothing_is_applied()
    {
        await using var scratch = await postgres.CreateScratchDatabaseAsync("changed");
        using var files = MigrationDirectory.ThreeTables();
        files.Delete("V0003_third.sql");
        await DatabaseMigrator.MigrateAsync(scratch.DataSource, Database, files.Options, Cancellation);
        files.Write("V0002_second.sql", "CREATE TABLE second (id bigint PRIMARY KEY);");
        files.Write("V0003_third.sql", "CREATE TABLE third (id int PRIMARY KEY);");

        var error = await Assert.ThrowsAsync<MigrationException>(
            () => DatabaseMigrator.MigrateAsync(scratch.DataSource, Database, files.Options, Cancellation));

        Assert.Contains("appdb: V0002_second.sql changed after it was applied", error.Message, StringComparison.Ordinal);
        Assert.Contains("add a new migration instead", error.Message, StringComparison.Ordinal);
        Assert.False(await SchemaMigrationsTable.TableExistsAsync(scratch.DataSource, "third"), "0003 must not run after the error");
    }

    [Fact]
    public async Task A_tampered_stored_checksum_of_the_real_files_is_an_error_naming_the_file()
    {
        await using var scratch = await postgres.CreateScratchDatabaseAsync("tamper");
        await DatabaseMigrator.MigrateAsync(scratch.DataSource, "appdb", cancellationToken: Cancellation);
        await SchemaMigrationsTable.ExecuteAsync(scratch.DataSource, "UPDATE schema_migrations SET checksum = 'tampered' WHERE type = 0 AND version = '0003'");

        var error = await Assert.ThrowsAsync<MigrationException>(
            () => DatabaseMigrator.MigrateAsync(scratch.DataSource, "appdb", cancellationToken: Cancellation));

        Assert.Contains("V0003_chirps.sql changed after it was applied", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_migration_is_rolled_back_completely_not_recorded_as_applied_and_runs_once_fixed()
    {
        await using var scratch = await postgres.CreateScratchDatabaseAsync("failing");
        using var files = MigrationDirectory.With(
            ("V0001_ok.sql", "CREATE TABLE ok (id int);"),
            ("V0002_broken.sql", "CREATE TABLE half (id int);\nINSERT INTO ok VALUES (1);\nALTER TABLE no_such_table ADD COLUMN x int;"),
            ("V0003_after.sql", "CREATE TABLE after_broken (id int);"));

        var error = await Assert.ThrowsAsync<MigrationException>(
            () => DatabaseMigrator.MigrateAsync(scratch.DataSource, Database, files.Options, Cancellation));

        Assert.Contains("appdb: V0002_broken.sql failed and was rolled back", error.Message, StringComparison.Ordinal);
        Assert.Contains("relation \"no_such_table\" does not exist (SQLSTATE 42P01", error.Message, StringComparison.Ordinal);
        Assert.False(await SchemaMigrationsTable.TableExistsAsync(scratch.DataSource, "half"), "the failed file's first statement must be rolled back");
        Assert.Equal(0L, await SchemaMigrationsTable.ScalarAsync(scratch.DataSource, "SELECT count(*) FROM ok"));
        Assert.False(await SchemaMigrationsTable.TableExistsAsync(scratch.DataSource, "after_broken"), "nothing runs after a failed file");
        // Evolve keeps a row of the failed attempt (success = false); only V0001 counts as applied, 0002 is pending again.
        Assert.Equal(["V0001_ok.sql"], await SchemaMigrationsTable.AppliedAsync(scratch.DataSource));
        var status = await DatabaseMigrator.GetStatusAsync(scratch.DataSource, Database, files.Options, Cancellation);
        Assert.Equal(["0002_broken", "0003_after"], status.Pending);

        files.Write("V0002_broken.sql", "CREATE TABLE half (id int);\nINSERT INTO ok VALUES (1);");
        var fixedRun = await DatabaseMigrator.MigrateAsync(scratch.DataSource, Database, files.Options, Cancellation);

        Assert.Equal(["0002_broken", "0003_after"], fixedRun.Applied);
        Assert.Equal(1L, await SchemaMigrationsTable.ScalarAsync(scratch.DataSource, "SELECT count(*) FROM ok"));
    }

    [Fact]
    public async Task A_pending_migration_older_than_an_applied_one_is_an_error()
    {
        await using var scratch = await postgres.CreateScratchDatabaseAsync("late");
        using var files = MigrationDirectory.ThreeTables();
        await DatabaseMigrator.MigrateAsync(scratch.DataSource, Database, files.Options, Cancellation);
        await SchemaMigrationsTable.ExecuteAsync(scratch.DataSource, "DELETE FROM schema_migrations WHERE type = 0 AND version = '0002'; DROP TABLE second;");

        var error = await Assert.ThrowsAsync<MigrationException>(
            () => DatabaseMigrator.MigrateAsync(scratch.DataSource, Database, files.Options, Cancellation));
        var status = await DatabaseMigrator.GetStatusAsync(scratch.DataSource, Database, files.Options, Cancellation);

        Assert.Contains("appdb: V0002_second.sql is pending, but a newer version is already applied", error.Message, StringComparison.Ordinal);
        Assert.Equal(["0002_second"], status.Pending);
        Assert.Contains(status.Problems, problem => problem.StartsWith("V0002_second.sql is pending, but the newer version 0003", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Status_lists_applied_and_pending_without_changing_anything()
    {
        await using var scratch = await postgres.CreateScratchDatabaseAsync("status");
        var files = MigrationFiles.For("appdb");

        var before = await DatabaseMigrator.GetStatusAsync(scratch.DataSource, "appdb", cancellationToken: Cancellation);
        Assert.False(await SchemaMigrationsTable.TableExistsAsync(scratch.DataSource, "schema_migrations"), "--status must not create anything");
        await DatabaseMigrator.MigrateAsync(scratch.DataSource, "appdb", new MigrationOptions { UpTo = files[1] }, Cancellation);
        var partway = await DatabaseMigrator.GetStatusAsync(scratch.DataSource, "appdb", cancellationToken: Cancellation);

        Assert.Empty(before.Applied);
        Assert.Equal(files, before.Pending);
        Assert.Empty(before.Problems);
        Assert.Equal(files.Take(2), partway.Applied.Select(row => row.Name));
        Assert.All(partway.Applied, row => Assert.Matches(@" \([0-9]+ ms\)$", row.Description));
        Assert.Equal(files.Skip(2), partway.Pending);
        Assert.Empty(partway.Problems);
    }

    [Fact]
    public async Task A_file_marked_evolve_tx_off_can_create_an_index_concurrently()
    {
        await using var scratch = await postgres.CreateScratchDatabaseAsync("concurrently");
        using var files = MigrationDirectory.With(
            ("V0001_items.sql", "CREATE TABLE items (id int);"),
            ("V0002_items_id_idx.sql", "-- evolve-tx-off: CREATE INDEX CONCURRENTLY cannot run in a transaction\nCREATE INDEX CONCURRENTLY items_id_idx ON items (id);"));

        var report = await DatabaseMigrator.MigrateAsync(scratch.DataSource, Database, files.Options, Cancellation);

        Assert.Equal(["0001_items", "0002_items_id_idx"], report.Applied);
        Assert.Equal(1L, await SchemaMigrationsTable.ScalarAsync(scratch.DataSource, "SELECT count(*) FROM pg_indexes WHERE indexname = 'items_id_idx'"));
    }

    [Fact]
    public async Task Without_the_marker_create_index_concurrently_fails_saying_how_to_mark_the_file()
    {
        await using var scratch = await postgres.CreateScratchDatabaseAsync("notconcurrently");
        using var files = MigrationDirectory.With(
            ("V0001_items.sql", "CREATE TABLE items (id int);"),
            ("V0002_items_id_idx.sql", "CREATE INDEX CONCURRENTLY items_id_idx ON items (id);"));

        var error = await Assert.ThrowsAsync<MigrationException>(
            () => DatabaseMigrator.MigrateAsync(scratch.DataSource, Database, files.Options, Cancellation));

        Assert.Contains("V0002_items_id_idx.sql failed and was rolled back: CREATE INDEX CONCURRENTLY cannot run inside a transaction block", error.Message, StringComparison.Ordinal);
        Assert.Contains("-- evolve-tx-off", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dollar_quotes_and_placeholder_like_text_reach_postgresql_as_written()
    {
        await using var scratch = await postgres.CreateScratchDatabaseAsync("dollars");
        await DatabaseMigrator.MigrateAsync(scratch.DataSource, "auditdb", cancellationToken: Cancellation);
        using var files = MigrationDirectory.With(
            ("V0001_texts.sql", "CREATE TABLE texts (body text);\nINSERT INTO texts VALUES ('${user} and ${flyway:database}'), ($tag$a $$ b $1$tag$);"));

        await using var other = await postgres.CreateScratchDatabaseAsync("placeholders");
        await DatabaseMigrator.MigrateAsync(other.DataSource, Database, files.Options, Cancellation);

        Assert.Equal(
            "${user} and ${flyway:database}|a $$ b $1",
            await SchemaMigrationsTable.ScalarAsync(other.DataSource, "SELECT string_agg(body, '|' ORDER BY body) FROM texts"));
        // The PL/pgSQL body of auditdb's partition function, $1 and $2 inside its dynamic SQL included, is the file's text.
        var file = ReadEmbedded("auditdb", "V0003_audit_partition_maintenance.sql");
        var body = file[(file.IndexOf("AS $$", StringComparison.Ordinal) + "AS $$".Length)..file.LastIndexOf("$$;", StringComparison.Ordinal)];
        Assert.Equal(body, await SchemaMigrationsTable.ScalarAsync(scratch.DataSource, "SELECT prosrc FROM pg_proc WHERE proname = 'audit_ensure_month_partition'"));
    }

    [Fact]
    public async Task A_database_with_the_old_hand_written_bookkeeping_is_refused_with_what_to_do()
    {
        await using var scratch = await postgres.CreateScratchDatabaseAsync("legacy");
        await SchemaMigrationsTable.ExecuteAsync(scratch.DataSource, """
            CREATE TABLE public.schema_migrations (
                version int PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now(), execution_ms int NOT NULL);
            """);

        var error = await Assert.ThrowsAsync<MigrationException>(
            () => DatabaseMigrator.MigrateAsync(scratch.DataSource, "appdb", cancellationToken: Cancellation));

        Assert.Contains("written by the Migrator before it used Evolve", error.Message, StringComparison.Ordinal);
        Assert.Contains("scripts/infra down --purge", error.Message, StringComparison.Ordinal);
        Assert.False(await SchemaMigrationsTable.TableExistsAsync(scratch.DataSource, "users"), "nothing must run");
    }

    private static string ReadEmbedded(string database, string fileName)
    {
        using var stream = typeof(DatabaseMigrator).Assembly.GetManifestResourceStream(MigrationFiles.ResourcePrefix(database) + fileName)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex("^[0-9A-F]{32}$")]
    private static partial Regex Md5Hex();
}
