using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting;

/// <summary>
/// Ready when the cluster describes itself through the admin API (DescribeCluster): brokers are up and a controller
/// answers, which a TCP connect alone would not show. Used for the Kafka container and for native Kafka alike.
/// </summary>
internal sealed class KafkaReadinessCheck(Func<ValueTask<string?>> bootstrapServers) : IHealthCheck
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var servers = await bootstrapServers();
        if (string.IsNullOrWhiteSpace(servers))
        {
            return HealthCheckResult.Unhealthy("The Kafka connection string is not known yet.");
        }

        using var admin = new AdminClientBuilder(new AdminClientConfig
            {
                BootstrapServers = servers,
                SocketConnectionSetupTimeoutMs = (int)s_timeout.TotalMilliseconds,
            })
            .SetLogHandler(static (_, _) => { })
            .Build();
        try
        {
            var cluster = await admin.DescribeClusterAsync(new DescribeClusterOptions { RequestTimeout = s_timeout })
                .WaitAsync(s_timeout + TimeSpan.FromSeconds(1), cancellationToken);
            return cluster.Nodes.Count > 0
                ? HealthCheckResult.Healthy($"{cluster.Nodes.Count} broker(s) at {servers}; controller {cluster.Controller?.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}.")
                : HealthCheckResult.Unhealthy($"Kafka at {servers} reports no brokers.");
        }
        catch (Exception ex) when (ex is KafkaException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"Kafka at {servers} does not answer: {ex.Message}", ex);
        }
    }
}
