using Chirp.Api.Health;
using Chirp.Api.Redis;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Chirp.Api.Timelines;

public static class TimelineRegistration
{
    /// <summary>The Redis connection (ConnectionStrings:redis), the timeline cache and reader, and Redis's health check.</summary>
    public static IHostApplicationBuilder AddTimelines(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<RedisConnection>();
        builder.Services.AddSingleton<RedisCommands>();
        builder.Services.AddSingleton<TimelineCache>();
        builder.Services.AddSingleton<TimelineReader>();
        builder.Services.AddSingleton<RedisHealthCheck>();
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", HealthStatus.Degraded);
        return builder;
    }
}
