using System.Security.Cryptography;
using System.Text;

/// <summary>
/// PostgreSQL and Redis from the operating system's packages and the Kafka-protocol mock cluster, run by this AppHost
/// as processes on 127.0.0.1: in the dashboard with their logs and health, stopped with the AppHost.
/// </summary>
internal static class NativeInfrastructure
{
    // The same topics and partition counts as services/Migrator/Kafka/KafkaTopic.cs (a test keeps them equal):
    // the mock cannot create topics over the Kafka protocol, so the Migrator would find them missing.
    public static readonly string[] KafkaTopics = ["chirp.events:6", "chirp.events.dlq:3"];

    /// <summary>The infrastructure, or null after one line per missing program or taken port.</summary>
    public static SandboxInfrastructure? TryAdd(IDistributedApplicationBuilder builder, string sandboxDirectory)
    {
        var ports = new SandboxPorts(builder.Configuration);
        var problems = new List<string>();
        if (!NativeServers.TryFindPostgresBin(out var postgresBin))
        {
            problems.Add("PostgreSQL's server programs (postgres, initdb) were not found: install them (Debian/Ubuntu: sudo apt-get install postgresql; macOS: brew install postgresql@17).");
        }
        if (!NativeServers.TryFindRedisServer(out var redisServer))
        {
            problems.Add("redis-server was not found: install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis).");
        }
        if (NativeServers.RunningAsRoot && !NativeServers.TryFindRunuser(out _))
        {
            problems.Add("runuser was not found (PostgreSQL refuses root, so it runs as the postgres user): install util-linux.");
        }
        if (builder.ExecutionContext.IsRunMode)
        {
            problems.AddRange(SandboxPorts.Taken(("Postgres", ports.Postgres), ("Redis", ports.Redis), ("Kafka", ports.Kafka), ("KafkaControl", ports.KafkaControl)));
        }
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                Console.Error.WriteLine($"Native mode: {problem}");
            }
            return null;
        }

        var dataDirectory = DataDirectory(builder.Configuration["Sandbox:Native:DataDirectory"], sandboxDirectory);
        var postgres = builder.AddNativePostgres("postgres",
            builder.AddParameter("postgres-password", secret: true),
            ports.Postgres,
            Path.Combine(dataDirectory, "postgres"),
            postgresBin!);
        var redis = builder.AddNativeRedis("redis",
            builder.AddParameter("redis-password", secret: true),
            ports.Redis,
            redisServer!,
            Path.Combine(dataDirectory, "redis"));
        var kafka = builder.AddNativeKafka("kafka", ports.Kafka, ports.KafkaControl, KafkaTopics);

        return SandboxInfrastructure.On(postgres, (server, database) => server.AddDatabase(database), redis, kafka);
    }

    /// <summary>
    /// Sandbox:Native:DataDirectory, else .sandbox/native in the clone; as root, /var/tmp/backend-sandbox-HASH/native,
    /// since PostgreSQL's own user must reach it (a clone under a root-only home is out of its reach).
    /// </summary>
    private static string DataDirectory(string? configured, string sandboxDirectory)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        if (!NativeServers.RunningAsRoot)
        {
            return Path.Combine(sandboxDirectory, "native");
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sandboxDirectory)))[..8];
        return Path.Combine("/var/tmp", $"backend-sandbox-{hash}", "native");
    }
}
