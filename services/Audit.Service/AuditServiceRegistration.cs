using Audit.Service.Chain;
using Audit.Service.Ingestion;
using Audit.Service.Partitions;
using Audit.Service.Search;
using Audit.Service.Storage;
using Audit.Service.Tail;
using Audit.Service.Telemetry;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Audit.Service;

/// <summary>The service's composition root: what Program.cs adds to the builder and maps on the app.</summary>
public static class AuditServiceRegistration
{
    /// <summary>The newest auditdb migration this code needs (readiness is 503 until the Migrator applied it).</summary>
    public const string RequiredMigration = "0003_audit_partition_maintenance";

    public static IHostApplicationBuilder AddAuditService(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddProblemDetails();
        services.TryAddSingletonTimeProvider();
        services.AddOptions<AuditConsumerOptions>().BindConfiguration(AuditConsumerOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.Topic) && !string.IsNullOrWhiteSpace(o.GroupId) && !string.IsNullOrWhiteSpace(o.DeadLetterTopic),
                "Audit:Consumer needs Topic, GroupId and DeadLetterTopic.")
            .Validate(o => o.MaxBatchSize is >= 1 and <= 10_000, "Audit:Consumer:MaxBatchSize must be 1 to 10000.");
        services.AddOptions<PartitionMaintenanceOptions>().BindConfiguration(PartitionMaintenanceOptions.Section)
            .Validate(o => o.MonthsAhead is >= 0 and <= 24 && o.Interval > TimeSpan.Zero, "Audit:Partitions: MonthsAhead 0 to 24, Interval positive.");
        services.AddOptions<AuditTailOptions>().BindConfiguration(AuditTailOptions.Section)
            .Validate(o => o.ClientBufferSize is >= 1 and <= 100_000, "Audit:Tail:ClientBufferSize must be 1 to 100000.");

        builder.AddAuditDb();
        // Read when first needed: Kafka has no client integration here (the feed lacks Aspire.Confluent.Kafka).
        services.AddSingleton(sp => new KafkaConnection(sp.GetRequiredService<IConfiguration>().GetRequiredConnectionString(KafkaConnection.ConnectionName)));

        services.AddSingleton<AuditTelemetry>();
        services.AddSingleton<ConsumerLag>();
        services.AddSingleton<DefaultPartitionStatus>();
        services.AddSingleton<DefaultPartitionReader>();
        services.AddSingleton<KafkaConsumerStatus>();
        services.AddSingleton<AuditEventStore>();
        services.AddSingleton<AuditEventSearch>();
        services.AddSingleton<AuditChainVerifier>();
        services.AddSingleton<AuditTailHub>();
        services.AddSingleton<DeadLetterPublisher>();
        services.AddSingleton<IOffsetCommitter, KafkaOffsetCommitter>();

        services.AddSingleton<PartitionMaintenance>();
        services.AddHostedService(sp => sp.GetRequiredService<PartitionMaintenance>());
        services.AddSingleton<AuditNotificationListener>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditNotificationListener>());
        services.AddSingleton<AuditConsumer>();
        services.AddHostedService<ConsumerHost>();

        services.AddHealthChecks()
            .AddSchemaVersionCheck(AuditDbRegistration.ConnectionName, RequiredMigration, sp => sp.GetRequiredKeyedService<NpgsqlDataSource>(AuditDbRegistration.SchemaDataSourceKey))
            .AddCheck<KafkaConsumerHealthCheck>("kafka-consumer", HealthStatus.Degraded, ["ready"])
            .AddCheck<DefaultPartitionHealthCheck>("auditdb-default-partition", HealthStatus.Degraded, ["ready"], TimeSpan.FromSeconds(5));
        return builder;
    }

    /// <summary>GET /audit/events, GET /audit/streams/{actorId}/verify, GET /audit/tail.</summary>
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var audit = endpoints.MapGroup("/audit").WithTags("Audit");
        audit.MapAuditSearch();
        audit.MapAuditStreams();
        audit.MapAuditTail();
        return endpoints;
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }

    /// <summary>Runs the consumer only when Audit:Consumer:Enabled (a search-only instance, or a benchmark, turns it off).</summary>
    private sealed class ConsumerHost(IServiceProvider services, IOptions<AuditConsumerOptions> options) : IHostedService
    {
        private AuditConsumer? _consumer;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (!options.Value.Enabled)
            {
                return Task.CompletedTask;
            }

            _consumer = services.GetRequiredService<AuditConsumer>();
            return _consumer.StartAsync(cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) =>
            _consumer?.StopAsync(cancellationToken) ?? Task.CompletedTask;
    }
}
