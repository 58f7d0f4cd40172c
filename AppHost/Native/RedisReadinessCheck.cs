using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Aspire.Hosting;

/// <summary>Ready when Redis answers PING with the password.</summary>
internal sealed class RedisReadinessCheck(Func<ValueTask<string?>> connectionString) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var options = ConfigurationOptions.Parse(await connectionString() ?? "");
        options.AbortOnConnectFail = true;
        options.ConnectTimeout = 3000;
        options.ConnectRetry = 0;
        try
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
            var latency = await connection.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy($"PING answered in {latency.TotalMilliseconds:0.#} ms.");
        }
        catch (RedisException ex)
        {
            return HealthCheckResult.Unhealthy($"Redis does not answer yet: {ex.Message}", ex);
        }
    }
}
