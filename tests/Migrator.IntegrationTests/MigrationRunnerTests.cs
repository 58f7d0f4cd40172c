using Microsoft.Extensions.Logging.Abstractions;
using Sandbox.Testing;

namespace Migrator.IntegrationTests;

public sealed class MigrationRunnerTests(PostgresFixture postgres)
{
    private static readonly MigrationRunner s_runner = new(NullLogger<MigrationRunner>.Instance);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Applies_the_appdb_migrations_in_order_and_records_their_checksums()
    {
        await using var scratch = await postgres.CreateScratchDatabaseAsync("migrate");
        var catalog = MigrationCatalog.For("appdb");

        var report = await s_runner.MigrateAsync(scratch.DataSource, "appdb", Cancellation);

        Assert.Equal(catalog.Select(migration => migration.Name), report.Applied);
        Assert.Empty(report.AlreadyApplied);
        var recorded = await SchemaMigrationsTable.ReadAsync(scratch.DataSource);
        Assert.Equal(catalog.Select(migration => (migration.Version, migration.Name, migration.Checksum)), recorded);
        foreach (var table in new[] { "users", "api_keys", "chirps", "outbox", "idempotency_keys" })
        {
            Assert.True(await SchemaMigrationsTable.TableExistsAsync(scratch.DataSource, table), $"table {table} should exist");
        }
    }

    [Fact]
    public async Task A_second_run_applies_nothing()
    {
        await using var scratch = await postgres.CreateScratchDatabaseAsync("rerun");
        await s_runner.MigrateAsync(scratch.DataSource, "appdb", Cancellation);

        var second = await s_runner.MigrateAsync(scratch.DataSource, "appdb", Cancellation);

        Assert.Empty(second.Applied);
        Assert.Equal(MigrationCatalog.For("appdb").Select(migration => migration.Name), second.AlreadyApplied);
    }

    [Fact]
    public async Task Two_concurrent_runs_apply_each_migration_exactly_once_and_both_succeed()
    {
        await using var scratch = await postgres.CreateScratchDatabaseAsync("concurrent");
        // Two data sources: two separate sessions, as two Migrator processes would have.
        await using var other = Npgsql.NpgsqlDataSource.Create(scratch.ConnectionString);
        var catalog = TestCatalog.ThreeTables(firstSleepSeconds: 0.5);

        var reports = await Task.WhenAll(
            s_runner.MigrateAsync(scratch.DataSource, TestCatalog.Database, catalog, Cancellation),
            s_runner.MigrateAsync(other, TestCatalog.Database, catalog, Cancellation));

        var applied = reports.SelectMany(report => report.Applied).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(catalog.Select(migration => migration.Name), applied);
        Assert.Contains(reports, report => report.Applied.Count == 0 && report.AlreadyApplied.Count == catalog.Count);
        Assert.Equal(3, (await SchemaMigrationsTable.ReadAsync(scratch.DataSource)).Count);
    }

    [Fact]
    public async Task A_changed_applied_file_is_an_error_naming_it_and_nothing_is_applied()
    {
        await using var scratch = await postgres.CreateScratchDatabaseAsync("changed");
        var original = TestCatalog.ThreeTables().Take(2).ToList();
        await s_runner.MigrateAsync(scratch.DataSource, TestCatalog.Database, original, Cancellation);
        IReadOnlyList<Migration> edited =
        [
            original[0],
            TestCatalog.File("0002_second.sql", "CREATE TABLE second (id bigint PRIMARY KEY);"),
            TestCatalog.ThreeTables()[2],
        ];

        var error = await Assert.ThrowsAsync<MigrationException>(
            () => s_runner.MigrateAsync(scratch.DataSource, TestCatalog.Database, edited, Cancellation));

        Assert.Contains("0002_second.sql", error.Message, StringComparison.Ordinal);
        Assert.Contains("changed after it was applied", error.Message, StringComparison.Ordinal);
        Assert.False(await SchemaMigrationsTable.TableExistsAsync(scratch.DataSource, "third"), "0003 must not run after the error");
    }

    [Fact]
    public async Task A_tampered_stored_checksum_of_the_real_catalog_is_an_error_naming_the_file()
    {
        await using var scratch = await postgres.CreateScratchDatabaseAsync("tamper");
        await s_runner.MigrateAsync(scratch.DataSource, "appdb", Cancellation);
        await SchemaMigrationsTable.ExecuteAsync(scratch.DataSource, "UPDATE schema_migrations SET checksum = 'tampered' WHERE version = 3");

        var error = await Assert.ThrowsAsync<MigrationException>(() => s_runner.MigrateAsync(scratch.DataSource, "appdb", Cancellation));

        Assert.Contains("0003_chirps.sql", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_migration_is_rolled_back_with_its_record_and_named_in_the_error()
    {
        await using var scratch = await postgres.CreateScratchDatabaseAsync("failing");
        IReadOnlyList<Migration> catalog =
        [
            TestCatalog.File("0001_ok.sql", "CREATE TABLE ok (id int);"),
            TestCatalog.File("0002_broken.sql", "CREATE TABLE half (id int);\nALTER TABLE no_such_table ADD COLUMN x int;"),
        ];

        var error = await Assert.ThrowsAsync<MigrationException>(
            () => s_runner.MigrateAsync(scratch.DataSource, TestCatalog.Database, catalog, Cancellation));

        Assert.Contains("0002_broken.sql", error.Message, StringComparison.Ordinal);
        Assert.Contains("no_such_table", error.Message, StringComparison.Ordinal);
        Assert.False(await SchemaMigrationsTable.TableExistsAsync(scratch.DataSource, "half"), "the failed file's first statement must be rolled back");
        Assert.Equal([(1, "0001_ok")], (await SchemaMigrationsTable.ReadAsync(scratch.DataSource)).Select(row => (row.Version, row.Name)));
    }

    [Fact]
    public async Task A_pending_migration_older_than_an_applied_one_is_an_error()
    {
        await using var scratch = await postgres.CreateScratchDatabaseAsync("late");
        var catalog = TestCatalog.ThreeTables();
        await s_runner.MigrateAsync(scratch.DataSource, TestCatalog.Database, catalog, Cancellation);
        await SchemaMigrationsTable.ExecuteAsync(scratch.DataSource, "DELETE FROM schema_migrations WHERE version = 2; DROP TABLE second;");

        var error = await Assert.ThrowsAsync<MigrationException>(
            () => s_runner.MigrateAsync(scratch.DataSource, TestCatalog.Database, catalog, Cancellation));

        Assert.Contains("0002_second.sql is pending", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_lists_applied_and_pending_without_changing_anything()
    {
        await using var scratch = await postgres.CreateScratchDatabaseAsync("status");
        var catalog = MigrationCatalog.For("appdb");

        var before = await s_runner.GetStatusAsync(scratch.DataSource, "appdb", Cancellation);
        Assert.False(await SchemaMigrationsTable.TableExistsAsync(scratch.DataSource, "schema_migrations"), "--status must not create anything");
        await s_runner.MigrateAsync(scratch.DataSource, "appdb", catalog.Take(2).ToList(), Cancellation);
        var partway = await s_runner.GetStatusAsync(scratch.DataSource, "appdb", Cancellation);

        Assert.Empty(before.Applied);
        Assert.Equal(catalog, before.Pending);
        Assert.Equal(catalog.Take(2).Select(migration => migration.Name), partway.Applied.Select(row => row.Name));
        Assert.Equal(catalog.Skip(2), partway.Pending);
        Assert.Empty(partway.Problems);
    }
}
