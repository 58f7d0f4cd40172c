using Microsoft.Extensions.Configuration;

/// <summary>PostgreSQL, Redis and Kafka as containers with their admin UIs, their data in named volumes.</summary>
internal static class ContainerInfrastructure
{
    public static SandboxInfrastructure Add(IDistributedApplicationBuilder builder)
    {
        var ports = new SandboxPorts(builder.Configuration);

        // Named volumes keep the data across runs and when the clone moves; the password only applies to a new volume.
        var postgres = builder.AddPostgres("postgres",
                password: builder.AddParameter("postgres-password", secret: true),
                port: ports.Postgres)
            .WithDataVolume("backend-sandbox-postgres")
            .WithPgWeb();

        // Plain TCP as in native mode, even where a trusted dev certificate would switch Redis to TLS
        // (WithoutHttpsCertificate is marked experimental in 13.6, hence the pragma).
#pragma warning disable ASPIRECERTIFICATES001
        var redis = builder.AddRedis("redis",
                port: ports.Redis,
                password: builder.AddParameter("redis-password", secret: true))
            .WithoutHttpsCertificate()
            .WithDataVolume("backend-sandbox-redis")
            .WithRedisInsight();
#pragma warning restore ASPIRECERTIFICATES001

        var kafka = builder.AddKafka("kafka", port: ports.Kafka)
            .WithDataVolume("backend-sandbox-kafka")
            .WithKafkaUI();

        return SandboxInfrastructure.On(postgres, (server, database) => server.AddDatabase(database), redis, kafka);
    }
}
