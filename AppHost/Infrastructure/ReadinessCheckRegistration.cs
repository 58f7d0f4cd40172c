using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting;

/// <summary>A server resource's readiness check, run by the AppHost (Aspire starts it once the resource is Running).</summary>
internal static class ReadinessCheckRegistration
{
    /// <summary>Registers "<paramref name="resourceName"/>_check" and returns its key, for <c>WithHealthCheck</c>.</summary>
    public static string AddReadinessCheck(this IDistributedApplicationBuilder builder, string resourceName, Func<IHealthCheck> create)
    {
        var key = $"{resourceName}_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(key, _ => create(), failureStatus: default, tags: default));
        return key;
    }
}
