using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Chirp.Api.Health;

/// <summary>
/// Redis only speeds timelines up, so its absence makes the API Degraded, never unready. Stands in for the check of
/// Aspire's Redis integration, which reports Unhealthy.
/// </summary>
public sealed class RedisHealthCheck(IConnectionMultiplexer? redis = null) : IHealthCheck
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(1);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (redis is null)
        {
            return HealthCheckResult.Degraded($"{ConnectionStringExtensions.MissingMessage("redis")} Timelines are read from the database.");
        }

        if (!redis.IsConnected)
        {
            return HealthCheckResult.Degraded("Redis is not connected; timelines are read from the database.");
        }

        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(s_timeout, cancellationToken);
            return HealthCheckResult.Healthy(
                "Redis answers.",
                new Dictionary<string, object>(StringComparer.Ordinal) { ["latencyMs"] = Math.Round(latency.TotalMilliseconds, 3) });
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return HealthCheckResult.Degraded("Redis does not answer; timelines are read from the database.", ex);
        }
    }
}
