using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ServiceDefaults;

/// <summary>OpenTelemetry traces, metrics and logs, exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.</summary>
internal static class TelemetryExtensions
{
    internal const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    // .NET emits these itself; no instrumentation package is needed to receive them.
    internal static readonly string[] BuiltInSources = ["Microsoft.AspNetCore", "System.Net.Http", "Npgsql"];

    internal static readonly string[] BuiltInMeters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics",
        "System.Net.Http",
        "System.Net.NameResolution",
        "System.Runtime",
        "Npgsql",
    ];

    public static void AddDefaultTelemetry(this IHostApplicationBuilder builder, ServiceDefaultsOptions options)
    {
        var serviceName = builder.Environment.ApplicationName;

        // One id for all three signals, so the traces, metrics and logs of one process line up.
        var instanceId = Guid.NewGuid().ToString();

        builder.Services.TryAddSingleton(services => new ServiceTelemetry(serviceName, services.GetRequiredService<IMeterFactory>()));

        var telemetry = new HostOpenTelemetryBuilder(builder.Services)
            // service.name is the application name unless OTEL_RESOURCE_ATTRIBUTES or OTEL_SERVICE_NAME says otherwise:
            // the environment detector (which reads IConfiguration, so environment variables too) comes last and wins.
            .ConfigureResource(resource => resource
                .Clear()
                .AddService(serviceName, autoGenerateServiceInstanceId: false, serviceInstanceId: instanceId)
                .AddTelemetrySdk()
                .AddEnvironmentVariableDetector())
            .WithTracing(tracing => tracing.AddSource([.. BuiltInSources, serviceName, .. options.Sources]))
            .WithMetrics(metrics => metrics.AddMeter([.. BuiltInMeters, serviceName, .. options.Meters]))
            .WithLogging(configureBuilder: null, configureOptions: logging =>
            {
                logging.IncludeFormattedMessage = true;
                logging.IncludeScopes = true;
            });

        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]))
        {
            // The exporter reads OTEL_EXPORTER_OTLP_* (endpoint, protocol, headers, timeout) from the host's IConfiguration,
            // and appends /v1/traces, /v1/metrics and /v1/logs to a base endpoint for http/protobuf.
            telemetry.UseOtlpExporter();
        }

        builder.Services.AddHostedService<TelemetryLifetime>();
        builder.Services.AddTransient<IStartupFilter, HttpServerSpanEnricher>();
    }

    /// <summary>
    /// Registers the SDK's providers in the host's own services, so they read the host's IConfiguration and are disposed
    /// (and so flushed) with it. Stands in for OpenTelemetry.Extensions.Hosting's AddOpenTelemetry(), which the package feed lacks.
    /// </summary>
    private sealed class HostOpenTelemetryBuilder : IOpenTelemetryBuilder
    {
        public HostOpenTelemetryBuilder(IServiceCollection services)
        {
            // Touching Sdk runs its static constructor, which sets the W3C trace context and baggage propagators.
            _ = Sdk.SuppressInstrumentation;
            Services = services;
        }

        public IServiceCollection Services { get; }
    }
}
