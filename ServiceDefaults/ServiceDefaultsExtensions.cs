using Microsoft.AspNetCore.Builder;
using ServiceDefaults;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every service of the sandbox shares: <c>builder.AddServiceDefaults()</c> when building, <c>app.MapDefaultEndpoints()</c>
/// once built. In this namespace, like Aspire's template, so no using is needed.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// Adds OpenTelemetry traces, metrics and logs (OTLP export when OTEL_EXPORTER_OTLP_ENDPOINT is set), a "self" health
    /// check tagged "live", and timeouts and retries for every HttpClient made by IHttpClientFactory.
    /// Works for web apps and for workers and jobs built with Host.CreateApplicationBuilder.
    /// </summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder, Action<ServiceDefaultsOptions>? configure = null)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        var options = new ServiceDefaultsOptions();
        configure?.Invoke(options);

        builder.AddDefaultTelemetry(options);
        builder.AddDefaultHealthChecks();
        builder.AddDefaultHttpClientResilience(options.HttpClientResilience);
        return builder;
    }

    /// <summary>
    /// Maps /health/live (checks tagged "live" only: the process, never a dependency) and /health/ready (every check),
    /// both answering JSON: 200 when Healthy or Degraded, 503 when Unhealthy.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.MapDefaultHealthEndpoints();
        return app;
    }
}
