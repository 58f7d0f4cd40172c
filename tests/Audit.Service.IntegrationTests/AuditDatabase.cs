extern alias migrator;

using migrator::Migrator;
using Npgsql;
using Sandbox.Testing;

namespace Audit.Service.IntegrationTests;

/// <summary>A scratch auditdb of one test (the shared fixture's), migrated by the real Migrator.</summary>
internal sealed class AuditDatabase : IAsyncDisposable
{
    private readonly ScratchDatabase _scratch;

    private AuditDatabase(ScratchDatabase scratch) => _scratch = scratch;

    public string ConnectionString => _scratch.ConnectionString;

    /// <summary>The superuser's view, for setting up and inspecting (not the service's audit_writer connections).</summary>
    public NpgsqlDataSource DataSource => _scratch.DataSource;

    /// <param name="migrations">Apply only the first N auditdb migrations (a schema that is behind); all by default.</param>
    public static async Task<AuditDatabase> CreateAsync(PostgresFixture postgres, string purpose, int? migrations = null)
    {
        var database = new AuditDatabase(await postgres.CreateScratchDatabaseAsync($"audit_{purpose}"));
        var options = new MigrationOptions { UpTo = migrations is { } count ? MigrationFiles.For("auditdb")[count - 1] : null };
        await DatabaseMigrator.MigrateAsync(database.DataSource, "auditdb", options, TestContext.Current.CancellationToken);
        return database;
    }

    public async Task MigrateAsync() =>
        await DatabaseMigrator.MigrateAsync(DataSource, "auditdb", cancellationToken: TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => _scratch.DisposeAsync();
}
