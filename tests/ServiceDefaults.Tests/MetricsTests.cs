using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace ServiceDefaults.Tests;

/// <summary>Metrics as the SDK would export them, collected on demand by a manual reader.</summary>
[Collection(SequentialTelemetry.Name)]
public sealed class MetricsTests
{
    private static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Request_duration_is_collected_with_the_route()
    {
        var metrics = new CapturedMetrics();
        await using var app = BuildApp("metrics-route", metrics);
        app.MapGet("/metrics-probe/{id}", (int id) => id);
        await app.StartAsync(Cancel);
        var client = app.GetTestClient();

        await client.GetStringAsync(new Uri("/metrics-probe/1", UriKind.Relative), Cancel);
        await client.GetStringAsync(new Uri("/metrics-probe/2", UriKind.Relative), Cancel);

        // The server records the duration as it finishes the request, just after the client has the response.
        var point = await CollectUntilAsync(app, metrics, point =>
            point.Instrument == "http.server.request.duration"
            && point.Tags.GetValueOrDefault("http.route") as string == "/metrics-probe/{id}"
            && point.Value >= 2);
        Assert.Equal("Microsoft.AspNetCore.Hosting", point.Meter);
        Assert.Equal("GET", point.Tags["http.request.method"]);
        Assert.Equal(200, Convert.ToInt32(point.Tags["http.response.status_code"], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task The_services_own_meter_and_extra_meters_are_collected()
    {
        var metrics = new CapturedMetrics();
        using var extra = new Meter("Metrics.Extra.Meter");
        var extraCounter = extra.CreateCounter<long>("metrics.extra.count");
        await using var app = BuildApp("metrics-own-meter", metrics, options => options.Meters.Add(extra.Name));
        await app.StartAsync(Cancel);

        var telemetry = app.Services.GetRequiredService<ServiceTelemetry>();
        telemetry.Meter.CreateCounter<long>("metrics.own.count").Add(3);
        extraCounter.Add(5);

        var own = await CollectUntilAsync(app, metrics, point => point.Instrument == "metrics.own.count");
        Assert.Equal("metrics-own-meter", own.Meter);
        Assert.Equal(3, own.Value);
        var other = metrics.All.First(point => point.Instrument == "metrics.extra.count");
        Assert.Equal(5, other.Value);
    }

    [Fact]
    public async Task The_runtime_meter_is_collected()
    {
        var metrics = new CapturedMetrics();
        await using var app = BuildApp("metrics-runtime", metrics);
        await app.StartAsync(Cancel);

        var point = await CollectUntilAsync(app, metrics, point => point.Meter == "System.Runtime");

        Assert.StartsWith("dotnet.", point.Instrument, StringComparison.Ordinal);
    }

    private static WebApplication BuildApp(string name, CapturedMetrics metrics, Action<ServiceDefaultsOptions>? configure = null)
    {
        var builder = TestApp.CreateBuilder(name);
        builder.AddServiceDefaults(configure);
        builder.Services.ConfigureOpenTelemetryMeterProvider(meters => meters.AddReader(metrics.Reader()));
        return builder.Build();
    }

    private static async Task<MetricPointRecord> CollectUntilAsync(WebApplication app, CapturedMetrics metrics, Func<MetricPointRecord, bool> predicate)
    {
        var provider = app.Services.GetRequiredService<MeterProvider>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            provider.ForceFlush();
            if (metrics.All.FirstOrDefault(predicate) is { } point)
            {
                return point;
            }

            if (timeout.IsCancellationRequested)
            {
                Assert.Fail($"No matching metric among: {string.Join(", ", metrics.All.Select(p => p.Instrument).Distinct())}");
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }
}
