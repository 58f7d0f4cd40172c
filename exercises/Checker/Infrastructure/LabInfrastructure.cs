using Confluent.Kafka;
using Npgsql;
using StackExchange.Redis;

namespace Lab.Checker.Infrastructure;

/// <summary>
/// The servers the exercises run against: the <c>labdb</c> database, Kafka and Redis. Each client is built on first
/// use; <see cref="ProbeAsync"/> confirms that what an exercise needs answers before its check starts.
/// </summary>
public sealed class LabInfrastructure : IAsyncDisposable
{
    private static readonly TimeSpan s_probeTimeout = TimeSpan.FromSeconds(4);
    private readonly LabConnections _connections;
    private readonly Lazy<NpgsqlDataSource> _labDb;
    private ConnectionMultiplexer? _redis;

    public LabInfrastructure(LabConnections connections)
    {
        _connections = connections;
        _labDb = new Lazy<NpgsqlDataSource>(() => NpgsqlDataSource.Create(LabDbConnectionString("lab-checker")));
    }

    /// <summary>The checker's own connections to labdb (datasets, plans, timings).</summary>
    public NpgsqlDataSource LabDb => _labDb.Value;

    public string KafkaBootstrapServers =>
        _connections.Find("kafka") ?? throw new InvalidOperationException("No Kafka connection string: probe first.");

    /// <summary>The Redis connection string, for a child process the checker starts (its own connection goes through <see cref="RedisAsync"/>).</summary>
    public string RedisConnectionString =>
        _connections.Find("redis") ?? throw new InvalidOperationException("No Redis connection string: probe first.");

    /// <summary>The native mock cluster's control address (host:port), or null against a real Kafka.</summary>
    public string? KafkaControlAddress => _connections.Find(LabConnections.KafkaControl);

    public static LabInfrastructure FromRepository(string repositoryRoot) => new(LabConnections.Load(repositoryRoot));

    /// <summary>A labdb connection string named for what uses it (visible in pg_stat_activity), without a pool timeout surprise.</summary>
    public string LabDbConnectionString(string applicationName, string? searchPath = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(
            _connections.Find("labdb") ?? throw new InvalidOperationException("No labdb connection string: probe first."))
        {
            ApplicationName = applicationName,
            CommandTimeout = 600,
            Timeout = 10,

            // Month boundaries, partition bounds and checksums are all read in UTC, whatever the server's zone.
            Timezone = "UTC",
        };
        if (searchPath is not null)
        {
            builder.SearchPath = searchPath;
        }

        return builder.ConnectionString;
    }

    public async Task<ConnectionMultiplexer> RedisAsync()
    {
        _redis ??= await ConnectionMultiplexer.ConnectAsync(RedisOptions());
        return _redis;
    }

    /// <summary>Null when everything in <paramref name="needs"/> answers; otherwise what is down and how to start it.</summary>
    public async Task<string?> ProbeAsync(IEnumerable<string> needs, CancellationToken cancellationToken)
    {
        foreach (var need in needs.Distinct(StringComparer.Ordinal))
        {
            var problem = need switch
            {
                "postgres" => await ProbePostgresAsync(cancellationToken),
                "kafka" => ProbeKafka(),
                "redis" => await ProbeRedisAsync(),
                _ => $"the manifest names an unknown service '{need}'",
            };
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_labDb.IsValueCreated)
        {
            await _labDb.Value.DisposeAsync();
        }

        _redis?.Dispose();
    }

    private async Task<string?> ProbePostgresAsync(CancellationToken cancellationToken)
    {
        var connectionString = _connections.Find("labdb");
        if (connectionString is null)
        {
            return Missing("labdb");
        }

        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = (int)s_probeTimeout.TotalSeconds, Pooling = false };
        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return null;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return $"PostgreSQL (database labdb) does not answer at {builder.Host}:{builder.Port}: {FirstLine(ex.Message)}";
        }
    }

    private string? ProbeKafka()
    {
        var bootstrap = _connections.Find("kafka");
        if (bootstrap is null)
        {
            return Missing("kafka");
        }

        using var admin = new AdminClientBuilder(new AdminClientConfig
        {
            BootstrapServers = bootstrap,
            SocketConnectionSetupTimeoutMs = (int)s_probeTimeout.TotalMilliseconds,
        }).SetLogHandler((_, _) => { }).Build();
        try
        {
            var metadata = admin.GetMetadata(s_probeTimeout);
            return metadata.Brokers.Count == 0 ? $"Kafka at {bootstrap} reports no brokers" : null;
        }
        catch (KafkaException ex)
        {
            return $"Kafka does not answer at {bootstrap}: {ex.Error.Reason}";
        }
    }

    private async Task<string?> ProbeRedisAsync()
    {
        if (_connections.Find("redis") is null)
        {
            return Missing("redis");
        }

        try
        {
            var redis = await RedisAsync();
            await redis.GetDatabase().PingAsync();
            return null;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return $"Redis does not answer: {FirstLine(ex.Message)}";
        }
    }

    private ConfigurationOptions RedisOptions()
    {
        var options = ConfigurationOptions.Parse(_connections.Find("redis")!);
        options.AbortOnConnectFail = true;
        options.ConnectTimeout = (int)s_probeTimeout.TotalMilliseconds;
        return options;
    }

    private string Missing(string name) =>
        $"no connection string for '{name}': neither ConnectionStrings__{name} is set nor {_connections.EnvFile} exists";

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
