using Confluent.Kafka;
using Npgsql;
using StackExchange.Redis;

namespace Lab;

/// <summary>
/// Exercise 10: what the service depends on, for its health checks. The checker builds these (each behind something
/// it can stop or make hang) before it calls ServiceHealth.AddChecks.
/// </summary>
public sealed class ServiceDependencies
{
    internal ServiceDependencies(NpgsqlDataSource database, IAdminClient kafka, IConnectionMultiplexer cache, int requiredSchemaVersion)
    {
        Database = database;
        Kafka = kafka;
        Cache = cache;
        RequiredSchemaVersion = requiredSchemaVersion;
    }

    /// <summary>The service's own database (private: no other service uses it). Its schema_migrations table says which migrations ran.</summary>
    public NpgsqlDataSource Database { get; }

    /// <summary>The Kafka cluster every service of the company shares; the service publishes its events there.</summary>
    public IAdminClient Kafka { get; }

    /// <summary>Redis, an optional cache: without it the service is slower, not broken.</summary>
    public IConnectionMultiplexer Cache { get; }

    /// <summary>The newest migration this build of the service needs: schema_migrations must have a version at least this high.</summary>
    public int RequiredSchemaVersion { get; }
}
