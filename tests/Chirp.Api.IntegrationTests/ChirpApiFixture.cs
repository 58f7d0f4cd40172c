using Migrator;
using Npgsql;
using Sandbox.Testing;

namespace Chirp.Api.IntegrationTests;

/// <summary>
/// One API per test class: a scratch appdb migrated by the Migrator, the sandbox's Redis and Kafka, a topic of its own.
/// The relay is off unless a fixture turns it on, so tests that only read the outbox see every row unsent.
/// </summary>
public class ChirpApiFixture(PostgresFixture postgres) : IAsyncLifetime
{
    private ScratchDatabase? _database;
    private ChirpApiFactory? _factory;

    public string Topic { get; } = KafkaFixture.UniqueTopic("chirp-api");

    public ScratchDatabase Database => _database ?? throw new InvalidOperationException("Not initialized.");

    public NpgsqlDataSource AppDb => Database.DataSource;

    public ChirpApiFactory Factory => _factory ?? throw new InvalidOperationException("Not initialized.");

    public HttpClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await postgres.CreateScratchDatabaseAsync("chirpapi");
        await DatabaseMigrator.MigrateAsync(AppDb, "appdb");
        _factory = new ChirpApiFactory(Settings(change: null));
        Client = _factory.CreateClient();
    }

    /// <summary>Another API instance over the same database, with changed settings (a second relay, a dead Redis).</summary>
    public ChirpApiFactory CreateFactory(Action<Dictionary<string, string?>> change) => new(Settings(change));

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    protected virtual void Configure(Dictionary<string, string?> settings)
    {
    }

    private Dictionary<string, string?> Settings(Action<Dictionary<string, string?>>? change)
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["ConnectionStrings:appdb"] = Database.ConnectionString,
            ["ConnectionStrings:redis"] = SandboxEnvironment.ConnectionString("redis"),
            ["ConnectionStrings:kafka"] = SandboxEnvironment.ConnectionString("kafka"),
            ["Outbox:Topic"] = Topic,
            ["Outbox:RelayEnabled"] = "false",
        };
        Configure(settings);
        change?.Invoke(settings);
        return settings;
    }
}

/// <summary>The same, with the relay publishing promptly to the fixture's topic.</summary>
public sealed class RelayingChirpApiFixture(PostgresFixture postgres) : ChirpApiFixture(postgres)
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings["Outbox:RelayEnabled"] = "true";
        settings["Outbox:PollInterval"] = "00:00:00.200";
        settings["Outbox:DeliveryTimeout"] = "00:00:02";
        settings["Outbox:MaxBackoff"] = "00:00:01";
    }
}
