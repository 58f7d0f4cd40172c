using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace ServiceDefaults;

/// <summary>
/// /health/live runs only the checks tagged "live" (the process alone, never a dependency); /health/ready runs them all.
/// Degraded answers 200 like Healthy: a shared dependency's hiccup must not pull every instance out of rotation.
/// </summary>
internal static class HealthEndpointExtensions
{
    public const string LiveTag = "live";
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    private const string HealthPathPrefix = "/health";

    private static readonly Dictionary<HealthStatus, int> StatusCodes = new()
    {
        [HealthStatus.Healthy] = Microsoft.AspNetCore.Http.StatusCodes.Status200OK,
        [HealthStatus.Degraded] = Microsoft.AspNetCore.Http.StatusCodes.Status200OK,
        [HealthStatus.Unhealthy] = Microsoft.AspNetCore.Http.StatusCodes.Status503ServiceUnavailable,
    };

    public static void AddDefaultHealthChecks(this IHostApplicationBuilder builder) =>
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy("The process is running."), [LiveTag]);

    public static void MapDefaultHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(LivePath, Options(registration => registration.Tags.Contains(LiveTag)));
        endpoints.MapHealthChecks(ReadyPath, Options(predicate: null));
    }

    /// <summary>Whether a request is a health probe, left out of traces.</summary>
    public static bool IsHealthPath(PathString path) =>
        path.Value?.StartsWith(HealthPathPrefix, StringComparison.OrdinalIgnoreCase) == true;

    // The middleware sets Cache-Control: no-store, no-cache itself (AllowCachingResponses is false).
    private static HealthCheckOptions Options(Func<HealthCheckRegistration, bool>? predicate) => new()
    {
        Predicate = predicate,
        ResultStatusCodes = new Dictionary<HealthStatus, int>(StatusCodes),
        ResponseWriter = HealthResponseWriter.WriteAsync,
    };
}
