using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Chirp.Api.Health;

/// <summary>
/// Kafka is shared by every service: when it is down this API is Degraded (writes still succeed and wait in the
/// outbox), not unready, so one broker outage does not take every instance out of rotation at once.
/// </summary>
public sealed class KafkaHealthCheck(IConfiguration configuration) : IHealthCheck, IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(2);
    private readonly Lock _gate = new();
    private IAdminClient? _admin;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var bootstrapServers = configuration.GetConnectionString("kafka");
        if (string.IsNullOrWhiteSpace(bootstrapServers))
        {
            return HealthCheckResult.Degraded($"{ConnectionStringExtensions.MissingMessage("kafka")} Events wait in the outbox.");
        }

        try
        {
            // librdkafka's metadata call blocks its thread.
            var metadata = await Task.Run(() => Admin(bootstrapServers).GetMetadata(s_timeout), cancellationToken);
            return metadata.Brokers.Count > 0
                ? HealthCheckResult.Healthy($"{metadata.Brokers.Count} Kafka broker(s) answer.")
                : HealthCheckResult.Degraded("Kafka reports no brokers: events wait in the outbox.");
        }
        catch (KafkaException ex)
        {
            return HealthCheckResult.Degraded($"Kafka does not answer ({ex.Error.Reason}): events wait in the outbox.", ex);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _admin?.Dispose();
        }
    }

    private IAdminClient Admin(string bootstrapServers)
    {
        lock (_gate)
        {
            return _admin ??= new AdminClientBuilder(new AdminClientConfig
            {
                BootstrapServers = bootstrapServers,
                ClientId = "chirp-api-health",
                ReconnectBackoffMaxMs = 2_000,
            })
            .SetLogHandler((_, _) => { }) // The relay's producer already reports connection trouble.
            .Build();
        }
    }
}
