using Chirp.Api.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Chirp.Api.Timelines;

public static class TimelineRegistration
{
    private const string Redis = "redis";

    /// <summary>
    /// The Redis client from Aspire's integration (ConnectionStrings:redis, traced by its instrumentation), the timeline
    /// cache and reader, and Redis's health check. Redis is optional: without the connection string, timelines are read
    /// from the database and readiness says so.
    /// </summary>
    public static IHostApplicationBuilder AddTimelines(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(Redis)))
        {
            builder.AddRedisClient(
                Redis,
                settings =>
                {
                    // Aspire's check reports Unhealthy; Redis only speeds timelines up, so ours reports Degraded.
                    settings.DisableHealthChecks = true;
                    // Connect while the host starts: created lazily, the multiplexer would connect synchronously inside the
                    // first request that needs it, which then waits up to ConnectTimeout when Redis is down.
                    settings.DisableAutoActivation = false;
                },
                options =>
                {
                    // Start and serve without Redis, reconnecting in the background.
                    options.AbortOnConnectFail = false;
                    // Bounds how long a start waits for a Redis that does not answer: one attempt of 1 s (later ones run in
                    // the background).
                    options.ConnectTimeout = 1_000;
                    options.ConnectRetry = 1;
                    // While disconnected, commands fail at once (the caller reads the database) instead of queueing.
                    options.BacklogPolicy = BacklogPolicy.FailFast;
                    options.ClientName ??= "chirp-api";
                });
        }

        builder.Services.AddSingleton<TimelineCache>();
        builder.Services.AddSingleton<TimelineReader>();
        builder.Services.AddSingleton<RedisHealthCheck>();
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>(Redis, HealthStatus.Degraded);
        return builder;
    }
}
