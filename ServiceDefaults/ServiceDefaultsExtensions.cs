using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using ServiceDefaults;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every service of the sandbox shares, in the shape of Aspire's service-defaults template:
/// <c>builder.AddServiceDefaults()</c> when building, <c>app.MapDefaultEndpoints()</c> once built.
/// In this namespace, like the template, so no using is needed.
/// </summary>
public static class ServiceDefaultsExtensions
{
    private const string HealthPath = "/health";
    private const string LivePath = "/health/live";
    private const string ReadyPath = "/health/ready";
    private const string LiveTag = "live";
    private const string OtlpTimeoutKey = "OTEL_EXPORTER_OTLP_TIMEOUT";
    private const string DefaultOtlpTimeoutMilliseconds = "2000";

    /// <summary>
    /// Adds OpenTelemetry logs, metrics and traces (OTLP export when OTEL_EXPORTER_OTLP_ENDPOINT is set), a "self" health
    /// check tagged "live", service discovery, and the standard resilience handler on every HttpClient made by
    /// IHttpClientFactory. Works for web apps and for workers and jobs built with Host.CreateApplicationBuilder.
    /// What is buffered is exported when the host is disposed, as app.Run() does once the host has stopped.
    /// </summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder, Action<ServiceDefaultsOptions>? configure = null)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        var options = new ServiceDefaultsOptions();
        configure?.Invoke(options);

        builder.ConfigureOpenTelemetry(options);
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Timeouts, retries with backoff, a circuit breaker; retries only for safe methods (GET, HEAD, OPTIONS, TRACE):
            // by default the handler retries every method, and a POST of ours sent twice may act twice.
            http.AddStandardResilienceHandler(resilience => resilience.Retry.DisableForUnsafeHttpMethods());
            http.AddServiceDiscovery();
        });

        return builder;
    }

    /// <summary>
    /// Maps /health/live (checks tagged "live" only: the process, never a dependency) and /health/ready (every check) in
    /// every environment, both answering JSON: 200 when Healthy or Degraded, 503 when Unhealthy.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.MapHealthChecks(LivePath, HealthOptions(registration => registration.Tags.Contains(LiveTag)));
        app.MapHealthChecks(ReadyPath, HealthOptions(predicate: null));
        return app;
    }

    private static void ConfigureOpenTelemetry(this IHostApplicationBuilder builder, ServiceDefaultsOptions options)
    {
        var serviceName = builder.Environment.ApplicationName;
        builder.Services.TryAddSingleton(services => new ServiceTelemetry(serviceName, services.GetRequiredService<IMeterFactory>()));

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        // Each signal builds its own resource: one id made here keeps the traces, metrics and logs of one process together.
        var instanceId = Guid.NewGuid().ToString();

        builder.Services.AddOpenTelemetry()
            // service.name is the application name unless OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES says otherwise:
            // the environment detector (which reads IConfiguration) comes last and wins.
            .ConfigureResource(resource => resource
                .Clear()
                .AddService(serviceName, autoGenerateServiceInstanceId: false, serviceInstanceId: instanceId)
                .AddTelemetrySdk()
                .AddEnvironmentVariableDetector())
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddMeter([serviceName, .. options.Meters]))
            .WithTracing(tracing => tracing
                .AddSource([serviceName, .. options.Sources])
                .AddAspNetCoreInstrumentation(aspNetCore =>
                {
                    aspNetCore.Filter = context => !context.Request.Path.StartsWithSegments(HealthPath);
                    aspNetCore.RecordException = true;
                })
                .AddHttpClientInstrumentation()
                .AddNpgsql());

        builder.AddOpenTelemetryExporters();
    }

    private static void AddOpenTelemetryExporters(this IHostApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(builder.Configuration[OtlpTimeoutKey]))
        {
            // Disposing the host shuts down each of the three providers with up to 5 s for a last export: against an endpoint
            // that accepts but never answers, the exporter's default 10 s timeout makes that ~15 s; 2 s keeps it near 6 s.
            builder.Configuration.AddInMemoryCollection([new(OtlpTimeoutKey, DefaultOtlpTimeoutMilliseconds)]);
        }

        // The exporter reads OTEL_EXPORTER_OTLP_* (protocol, headers, timeout, per-signal endpoints) from IConfiguration.
        builder.Services.AddOpenTelemetry().UseOtlpExporter();
    }

    private static void AddDefaultHealthChecks(this IHostApplicationBuilder builder) =>
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy("The process is running."), [LiveTag]);

    // Degraded answers 200 like Healthy: a shared dependency's hiccup must not pull every instance out of rotation.
    // The middleware sets Cache-Control: no-store, no-cache itself (AllowCachingResponses is false).
    private static HealthCheckOptions HealthOptions(Func<HealthCheckRegistration, bool>? predicate) => new()
    {
        Predicate = predicate,
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = StatusCodes.Status200OK,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
        ResponseWriter = HealthResponseWriter.WriteAsync,
    };
}
