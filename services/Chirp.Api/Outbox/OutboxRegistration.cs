using Chirp.Api.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Chirp.Api.Outbox;

public static class OutboxRegistration
{
    /// <summary>The outbox writer (per request), the relay that publishes to Kafka (ConnectionStrings:kafka), and its health check.</summary>
    public static IHostApplicationBuilder AddOutbox(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<OutboxOptions>()
            .BindConfiguration(OutboxOptions.SectionName)
            .Validate(options => !string.IsNullOrWhiteSpace(options.Topic), "Outbox:Topic must name a Kafka topic.")
            .Validate(options => options.BatchSize is > 0 and <= 10_000, "Outbox:BatchSize must be from 1 to 10000.")
            .Validate(options => options.PollInterval > TimeSpan.Zero && options.MaxBackoff >= options.PollInterval,
                "Outbox:PollInterval must be positive and at most Outbox:MaxBackoff.")
            .ValidateOnStart();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<KafkaProducer>();
        builder.Services.AddSingleton<OutboxPublisher>();
        builder.Services.AddScoped<OutboxWriter>();
        builder.Services.AddHostedService<OutboxRelay>();
        builder.Services.AddSingleton<KafkaHealthCheck>();
        builder.Services.AddHealthChecks().AddCheck<KafkaHealthCheck>("kafka", HealthStatus.Degraded);
        return builder;
    }
}
