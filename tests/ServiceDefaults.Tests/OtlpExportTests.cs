using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sandbox.Testing;

namespace ServiceDefaults.Tests;

/// <summary>
/// The export path end to end: an app using ServiceDefaults, configured the way Aspire configures it (OTEL_* settings; here
/// in its in-memory configuration, which a real app gets from environment variables), exporting to a real OTLP receiver.
/// Batch delays are set to a minute, so anything that arrives by the time the app has shut down (stopped, then disposed, as
/// app.Run() does) arrived by the flush on shutdown: OpenTelemetry.Extensions.Hosting flushes when the host is disposed.
/// </summary>
[Collection(SequentialTelemetry.Name)]
public sealed partial class OtlpExportTests
{
    private const int ServerKind = 2;

    private static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Over_http_protobuf_a_request_arrives_as_a_span_named_for_its_route_with_the_service_resource()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var app = BuildApp("otlp-http-app", Otlp(receiver, "http/protobuf", new()
        {
            ["OTEL_SERVICE_NAME"] = "chirp-api",
            ["OTEL_RESOURCE_ATTRIBUTES"] = "deployment.environment.name=test,service.namespace=sandbox",
            ["OTEL_EXPORTER_OTLP_HEADERS"] = "x-otlp-api-key=secret-1",
        }));
        await app.StartAsync(Cancel);

        await GetAsync(app, "/health/live");
        await GetAsync(app, "/hello/ada");
        await GetAsync(app, "/health/ready");
        await ShutDownAsync(app);

        // The probes' server spans were never exported: the one server span is the request's.
        var span = Assert.Single(receiver.Spans, span => span.Kind == ServerKind);
        Assert.Equal("GET /hello/{name}", span.Name);
        Assert.Equal("/hello/ada", span.Attributes["url.path"]);
        Assert.Equal("/hello/{name}", span.Attributes["http.route"]);
        Assert.Equal("200", span.Attributes["http.response.status_code"]);
        Assert.Equal("chirp-api", span.Resource["service.name"]);
        Assert.Equal("test", span.Resource["deployment.environment.name"]);
        Assert.Equal("sandbox", span.Resource["service.namespace"]);

        var traces = receiver.Exports.Where(export => export.Signal == OtlpSignal.Traces).ToList();
        Assert.NotEmpty(traces);
        Assert.All(traces, export =>
        {
            Assert.Equal("/v1/traces", export.Path);
            Assert.Equal("application/x-protobuf", export.ContentType);
            Assert.Equal("secret-1", export.Headers["x-otlp-api-key"]);
        });
    }

    [Fact]
    public async Task Over_http_protobuf_log_records_and_metrics_arrive_with_the_same_resource()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var app = BuildApp("otlp-http-logs", Otlp(receiver, "http/protobuf"));
        await app.StartAsync(Cancel);

        await GetAsync(app, "/log/4711");
        await ShutDownAsync(app);

        var record = Assert.Single(receiver.LogRecords, record => record.Attributes.GetValueOrDefault("Order") == "4711");
        Assert.Equal("Logged order 4711", record.Body);
        Assert.Equal("Information", record.SeverityText);
        Assert.Equal("otlp-http-logs", record.Resource["service.name"]);
        Assert.Contains(receiver.Exports, export => export.Path == "/v1/logs");

        var metric = Assert.Single(receiver.Metrics, metric => metric.Name == "http.server.request.duration");
        Assert.Equal("otlp-http-logs", metric.Resource["service.name"]);
        Assert.Contains(receiver.Exports, export => export.Path == "/v1/metrics");

        // One process, one service.instance.id, whatever the signal.
        var span = receiver.Spans.First();
        Assert.Equal(span.Resource["service.instance.id"], record.Resource["service.instance.id"]);
        Assert.Equal(span.Resource["service.instance.id"], metric.Resource["service.instance.id"]);
    }

    [Fact]
    public async Task Disposing_the_app_without_stopping_it_still_flushes_what_is_buffered()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var app = BuildApp("otlp-dispose", Otlp(receiver, "http/protobuf"));
        await app.StartAsync(Cancel);

        var telemetry = app.Services.GetRequiredService<ServiceTelemetry>();
        telemetry.ActivitySource.StartActivity("last words")?.Stop();
        var logger = app.Services.GetRequiredService<ILogger<OtlpExportTests>>();
        LogOrder(logger, 99);
        await app.DisposeAsync();

        var span = Assert.Single(receiver.Spans, span => span.Name == "last words");
        Assert.Equal("otlp-dispose", span.Resource["service.name"]);
        Assert.Contains(receiver.LogRecords, record => record.Body == "Logged order 99");
    }

    [Fact]
    public async Task The_service_name_is_the_application_name_when_OTEL_SERVICE_NAME_is_unset()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var app = BuildApp("otlp-default-name", Otlp(receiver, "http/protobuf"));
        await app.StartAsync(Cancel);

        await GetAsync(app, "/hello/name");
        await ShutDownAsync(app);

        var span = Assert.Single(receiver.Spans, span => span.Attributes.GetValueOrDefault("url.path") == "/hello/name");
        Assert.Equal("otlp-default-name", span.Resource["service.name"]);
    }

    [Fact]
    public async Task Nothing_is_exported_when_OTEL_EXPORTER_OTLP_ENDPOINT_is_unset()
    {
        await using var receiver = await OtlpReceiver.StartAsync();

        // Everything else points at the receiver: only the base endpoint turns export on.
        var settings = Otlp(receiver, "http/protobuf");
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = null;
        settings["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = new Uri(receiver.Endpoint, "/v1/traces").ToString();
        settings["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] = new Uri(receiver.Endpoint, "/v1/metrics").ToString();
        settings["OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"] = new Uri(receiver.Endpoint, "/v1/logs").ToString();
        await using var app = BuildApp("otlp-off", settings);
        await app.StartAsync(Cancel);

        await GetAsync(app, "/log/1");
        await ShutDownAsync(app);

        Assert.Empty(receiver.Exports);
    }

    [Fact]
    public async Task Over_grpc_a_request_arrives_as_a_span_named_for_its_route()
    {
        await using var receiver = await OtlpReceiver.StartAsync(grpc: true);
        await using var app = BuildApp("otlp-grpc", Otlp(receiver, "grpc", new() { ["OTEL_SERVICE_NAME"] = "audit-service" }));
        await app.StartAsync(Cancel);

        await GetAsync(app, "/hello/grpc");
        await GetAsync(app, "/log/7");
        await ShutDownAsync(app);

        var span = Assert.Single(receiver.Spans, span => span.Attributes.GetValueOrDefault("url.path") == "/hello/grpc");
        Assert.Equal("GET /hello/{name}", span.Name);
        Assert.Equal("audit-service", span.Resource["service.name"]);
        Assert.Contains(receiver.Exports, export =>
            export.Path == "/opentelemetry.proto.collector.trace.v1.TraceService/Export" && export.ContentType == "application/grpc");
        Assert.Contains(receiver.LogRecords, record => record.Body == "Logged order 7");
    }

    [Fact]
    public async Task A_worker_built_with_Host_CreateApplicationBuilder_exports_its_own_spans()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "snapshot-job",
            EnvironmentName = "Testing",
            Configuration = new ConfigurationManager(),
        });
        builder.Configuration.AddInMemoryCollection(Otlp(receiver, "http/protobuf"));
        builder.Logging.ClearProviders();
        builder.AddServiceDefaults();
        using var host = builder.Build();
        await host.StartAsync(Cancel);

        var telemetry = host.Services.GetRequiredService<ServiceTelemetry>();
        using (var run = telemetry.ActivitySource.StartActivity("copy appdb"))
        {
            run?.SetTag("snapshot.tables", 3);
        }

        await host.StopAsync(Cancel);
        host.Dispose();

        var span = Assert.Single(receiver.Spans, span => span.Name == "copy appdb");
        Assert.Equal("3", span.Attributes["snapshot.tables"]);
        Assert.Equal("snapshot-job", span.Resource["service.name"]);
    }

    [Fact]
    public async Task Shutting_down_against_an_endpoint_that_never_answers_takes_seconds_not_fifteen()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var held = new List<TcpClient>();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                held.Add(await silent.AcceptTcpClientAsync(Cancel));
            }
        }, Cancel);
        var app = BuildApp("otlp-silent", new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://{silent.LocalEndpoint}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
        });
        await app.StartAsync(Cancel);
        await GetAsync(app, "/log/1");
        Assert.Equal("2000", app.Configuration["OTEL_EXPORTER_OTLP_TIMEOUT"]);

        var shutdown = Stopwatch.StartNew();
        await ShutDownAsync(app);
        shutdown.Stop();

        // Three providers each wait for one last export: at most 2 s apiece by our default; the exporter's 10 s made it ~15 s.
        Assert.InRange(shutdown.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        held.ForEach(client => client.Dispose());
    }

    [Fact]
    public async Task An_explicit_OTEL_EXPORTER_OTLP_TIMEOUT_is_kept()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var app = BuildApp("otlp-timeout", Otlp(receiver, "http/protobuf", new() { ["OTEL_EXPORTER_OTLP_TIMEOUT"] = "7000" }));

        Assert.Equal("7000", app.Configuration["OTEL_EXPORTER_OTLP_TIMEOUT"]);
    }

    private static Dictionary<string, string?> Otlp(OtlpReceiver receiver, string protocol, Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint.ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = protocol,
            ["OTEL_BSP_SCHEDULE_DELAY"] = "60000",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "60000",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "60000",
        };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }

    private static WebApplication BuildApp(string name, Dictionary<string, string?> settings)
    {
        // Kestrel, not the test server: its graceful stop waits for requests to finish, spans included, as in production.
        var builder = TestApp.CreateBuilder(name, settings, kestrel: true);
        builder.AddServiceDefaults();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGet("/hello/{name}", (string name) => $"Hello, {name}!");
        app.MapGet("/log/{order}", (int order, ILogger<OtlpExportTests> logger) =>
        {
            LogOrder(logger, order);
            return order;
        });
        return app;
    }

    /// <summary>Stops the app, then disposes it, as app.Run() does when the process is asked to stop.</summary>
    private static async Task ShutDownAsync(WebApplication app)
    {
        await app.StopAsync(Cancel);
        await app.DisposeAsync();
    }

    private static async Task<string> GetAsync(WebApplication app, string path)
    {
        using var client = new HttpClient();
        return await client.GetStringAsync(new Uri(app.BaseAddress(), path), Cancel);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Logged order {Order}")]
    private static partial void LogOrder(ILogger logger, int order);
}
