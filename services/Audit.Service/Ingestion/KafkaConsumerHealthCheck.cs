using Microsoft.Extensions.Diagnostics.HealthChecks;
using State = Audit.Service.Ingestion.KafkaConsumerStatus.ConsumerState;

namespace Audit.Service.Ingestion;

/// <summary>
/// Kafka is shared by every service, so its trouble makes this instance Degraded, never Unhealthy: one broker hiccup
/// must not pull every instance out of rotation, and the search and verify endpoints still work without it.
/// </summary>
internal sealed class KafkaConsumerHealthCheck(KafkaConsumerStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var current = status.Current;
        var data = new Dictionary<string, object>
        {
            ["state"] = current.State.ToString(),
            ["assignedPartitions"] = current.AssignedPartitions,
        };
        if (current.Topic is not null)
        {
            data["topic"] = current.Topic;
        }

        if (current.Since is { } since)
        {
            data["since"] = since;
        }

        var result = current.State switch
        {
            State.Running => HealthCheckResult.Healthy($"Consuming {current.Topic}.", data),
            State.Starting => HealthCheckResult.Degraded("The Kafka consumer is starting.", data: data),
            State.BrokersUnreachable => HealthCheckResult.Degraded($"Kafka brokers unreachable: {current.Problem}", data: data),
            State.StoreFailing => HealthCheckResult.Degraded($"Storing consumed events fails, retrying: {current.Problem}", data: data),
            State.Restarting => HealthCheckResult.Degraded($"The Kafka consumer is restarting after: {current.Problem}", data: data),
            _ => HealthCheckResult.Degraded("The Kafka consumer is stopped.", data: data),
        };
        return Task.FromResult(result);
    }
}
