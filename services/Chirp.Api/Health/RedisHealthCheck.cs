using Chirp.Api.Redis;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Chirp.Api.Health;

/// <summary>Redis only speeds timelines up, so its absence makes the API Degraded, never unready.</summary>
public sealed class RedisHealthCheck(RedisConnection connection) : IHealthCheck
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(1);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (await connection.ConnectedDatabaseAsync(s_timeout, cancellationToken) is not { } database)
        {
            return HealthCheckResult.Degraded($"Redis is {connection.State}; timelines are read from the database.");
        }

        try
        {
            var latency = await database.PingAsync().WaitAsync(s_timeout, cancellationToken);
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
