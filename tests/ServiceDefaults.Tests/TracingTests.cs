using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OpenTelemetry.Trace;
using Sandbox.Testing;

namespace ServiceDefaults.Tests;

/// <summary>Spans as the SDK would export them, captured in-process behind the same kind of processor an exporter uses.</summary>
public sealed class TracingTests
{
    private static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_request_span_is_named_for_its_route_and_carries_the_http_attributes()
    {
        var spans = new CapturedSpans();
        await using var app = BuildApp("tracing-route", spans);
        await app.StartAsync(Cancel);

        var response = await app.GetTestClient().GetAsync(new Uri("/hello/ada", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var span = await spans.WaitForAsync(span => span.GetTagItem("url.path") as string == "/hello/ada");
        Assert.Equal("Microsoft.AspNetCore", span.Source.Name);
        Assert.Equal(ActivityKind.Server, span.Kind);
        Assert.Equal("GET /hello/{name}", span.DisplayName);
        Assert.Equal("/hello/{name}", span.GetTagItem("http.route"));
        Assert.Equal("GET", span.GetTagItem("http.request.method"));
        Assert.Equal(200, span.GetTagItem("http.response.status_code"));
        Assert.Equal("http", span.GetTagItem("url.scheme"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    [Fact]
    public async Task Health_probes_produce_no_exported_span()
    {
        var spans = new CapturedSpans();
        await using var app = BuildApp("tracing-health", spans);
        await app.StartAsync(Cancel);
        var client = app.GetTestClient();

        // Each probe joins a trace of its own, sampled by the caller: only our filter can keep it out.
        var probes = new Dictionary<string, ActivityTraceId>();
        foreach (var path in new[] { "/health/live", "/health/ready", "/health" })
        {
            var traceId = ActivityTraceId.CreateRandom();
            probes[path] = traceId;
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
            request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
            using var response = await client.SendAsync(request, Cancel);
        }

        await client.GetAsync(new Uri("/hello/control", UriKind.Relative), Cancel);

        // The control request went last, so once its span has ended the probes' have too.
        await spans.WaitForAsync(span => span.GetTagItem("url.path") as string == "/hello/control");
        foreach (var (path, traceId) in probes)
        {
            Assert.DoesNotContain(spans.All, span => span.TraceId == traceId);
        }
    }

    [Fact]
    public async Task A_request_matching_no_route_is_named_for_its_method_alone()
    {
        var spans = new CapturedSpans();
        await using var app = BuildApp("tracing-no-route", spans);
        await app.StartAsync(Cancel);

        var response = await app.GetTestClient().GetAsync(new Uri("/no/such/route-7f3a", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var span = await spans.WaitForAsync(span => span.GetTagItem("url.path") as string == "/no/such/route-7f3a");
        Assert.Equal("GET", span.DisplayName);
        Assert.Null(span.GetTagItem("http.route"));
        Assert.Equal(404, span.GetTagItem("http.response.status_code"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    [Fact]
    public async Task A_failing_request_span_has_error_status_and_the_exception()
    {
        // Kestrel, not the test server: Kestrel answers 500 before the span ends, the test server throws to the client.
        var spans = new CapturedSpans();
        await using var app = BuildApp("tracing-error", spans, kestrel: true);
        await app.StartAsync(Cancel);

        using var client = new HttpClient();
        using var response = await client.GetAsync(new Uri(app.BaseAddress(), "/boom"), Cancel);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var span = await spans.WaitForAsync(span => span.GetTagItem("url.path") as string == "/boom");
        Assert.Equal("GET /boom", span.DisplayName);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(typeof(InvalidOperationException).FullName, span.GetTagItem("error.type"));
        Assert.Equal(500, span.GetTagItem("http.response.status_code"));
        Assert.Contains(span.Events, e => e.Name == "exception");
    }

    [Fact]
    public async Task The_services_own_source_and_extra_sources_are_traced_under_the_request()
    {
        var spans = new CapturedSpans();
        using var extra = new ActivitySource("Tracing.Extra.Source");
        await using var app = BuildApp("tracing-own-source", spans, options => options.Sources.Add(extra.Name));
        app.MapGet("/work", (ServiceTelemetry telemetry) =>
        {
            using (telemetry.ActivitySource.StartActivity("own work"))
            {
            }

            using (extra.StartActivity("extra work"))
            {
            }

            return telemetry.Name;
        });
        await app.StartAsync(Cancel);

        var name = await app.GetTestClient().GetStringAsync(new Uri("/work", UriKind.Relative), Cancel);

        Assert.Equal("tracing-own-source", name);
        var server = await spans.WaitForAsync(span => span.DisplayName == "GET /work");
        var own = Assert.Single(spans.All, span => span.DisplayName == "own work" && span.ParentSpanId == server.SpanId);
        Assert.Equal("tracing-own-source", own.Source.Name);
        Assert.Single(spans.All, span => span.DisplayName == "extra work" && span.ParentSpanId == server.SpanId);
    }

    [Fact]
    public async Task An_outgoing_http_call_is_a_client_span_under_the_request()
    {
        // .NET 10's HttpClient names its span and sets its attributes itself: this checks what we rely on.
        var spans = new CapturedSpans();
        await using var downstream = TestApp.CreateBuilder("tracing-downstream", kestrel: true).Build();
        downstream.MapGet("/ping", () => "pong");
        await downstream.StartAsync(Cancel);

        await using var app = BuildApp("tracing-client", spans);
        app.MapGet("/call", async (IHttpClientFactory factory) =>
            await factory.CreateClient().GetStringAsync(new Uri(downstream.BaseAddress(), "/ping")));
        await app.StartAsync(Cancel);

        Assert.Equal("pong", await app.GetTestClient().GetStringAsync(new Uri("/call", UriKind.Relative), Cancel));

        var server = await spans.WaitForAsync(span => span.DisplayName == "GET /call");
        var client = Assert.Single(spans.All, span => span.Source.Name == "System.Net.Http" && span.ParentSpanId == server.SpanId);
        Assert.Equal(ActivityKind.Client, client.Kind);
        Assert.Equal("GET", client.DisplayName);
        Assert.Equal("GET", client.GetTagItem("http.request.method"));
        Assert.Equal("127.0.0.1", client.GetTagItem("server.address"));
        Assert.Equal(200, client.GetTagItem("http.response.status_code"));
    }

    [Fact]
    public async Task A_database_command_is_a_client_span_under_the_request()
    {
        var spans = new CapturedSpans();
        await using var appDb = NpgsqlDataSource.Create(SandboxEnvironment.ConnectionString("appdb"));
        await using var app = BuildApp("tracing-npgsql", spans);
        app.MapGet("/query", async () =>
        {
            await using var command = appDb.CreateCommand("SELECT 1");
            return (int)(await command.ExecuteScalarAsync())!;
        });
        await app.StartAsync(Cancel);

        Assert.Equal("1", await app.GetTestClient().GetStringAsync(new Uri("/query", UriKind.Relative), Cancel));

        var server = await spans.WaitForAsync(span => span.DisplayName == "GET /query");
        var command = await spans.WaitForAsync(span => span.Source.Name == "Npgsql" && span.ParentSpanId == server.SpanId);
        Assert.Equal(ActivityKind.Client, command.Kind);
        Assert.Equal(server.TraceId, command.TraceId);
    }

    private static WebApplication BuildApp(
        string name, CapturedSpans spans, Action<ServiceDefaultsOptions>? configure = null, bool kestrel = false)
    {
        var builder = TestApp.CreateBuilder(name, kestrel: kestrel);
        builder.AddServiceDefaults(configure);
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(spans.Processor()));

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGet("/hello/{name}", (string name) => $"Hello, {name}!");
        app.MapGet("/boom", IResult () => throw new InvalidOperationException("boom"));
        return app;
    }
}
