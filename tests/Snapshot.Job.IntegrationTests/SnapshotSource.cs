using Migrator;
using Npgsql;
using Sandbox.Testing;
using Snapshot.Job.Manifest;

namespace Snapshot.Job.IntegrationTests;

/// <summary>
/// A source database shared by the tests that only read it: appdb's schema (the Migrator's migrations) filled with
/// <see cref="ChirpData"/>, and a reference snapshot of it made by one uninterrupted run with <see cref="RunKey"/>,
/// against which interrupted runs are compared.
/// </summary>
public sealed class SnapshotSource : IAsyncLifetime
{
    /// <summary>The run key of the reference run and of every run compared with it.</summary>
    public const string RunKey = "5eed5eed5eed5eed5eed5eed5eed5eed0123456789abcdef0123456789abcdef";

    public const int Seed = 20251121;
    public const int UserCount = 300;

    private readonly PostgresFixture _postgres = new();
    private readonly SemaphoreSlim _referenceLock = new(1, 1);
    private ScratchDatabase? _database;
    private JobWorkspace? _reference;
    private SnapshotManifest? _referenceManifest;

    internal ChirpData Data { get; } = ChirpData.Generate(Seed, UserCount);

    public string ConnectionString => _database!.ConnectionString;

    public NpgsqlDataSource DataSource => _database!.DataSource;

    public async ValueTask InitializeAsync()
    {
        await _postgres.InitializeAsync();
        _database = await _postgres.CreateScratchDatabaseAsync("snapsrc");
        await CreateAppDbAsync(_database.DataSource, CancellationToken.None);
        await Data.InsertAsync(_database.DataSource, CancellationToken.None);
    }

    /// <summary>Migrates an empty database to appdb's current schema.</summary>
    internal static Task CreateAppDbAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
        DatabaseMigrator.MigrateAsync(dataSource, "appdb", cancellationToken: cancellationToken);

    /// <summary>The reference run's manifest and dump (made on first use).</summary>
    internal async Task<(SnapshotManifest Manifest, string Dump)> ReferenceAsync()
    {
        await _referenceLock.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (_referenceManifest is null)
            {
                _reference = new JobWorkspace(ConnectionString);
                var result = await _reference.RunAsync(("Snapshot__Testing__RunKey", RunKey));
                Assert.True(result.ExitCode == 0, $"The reference run failed: {result}");
                _referenceManifest = _reference.Manifest();
            }

            return (_referenceManifest, _reference!.DumpPath);
        }
        finally
        {
            _referenceLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_reference is not null)
        {
            await _reference.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        await _postgres.DisposeAsync();
        _referenceLock.Dispose();
    }
}
