using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests;

public sealed class HealthEndpointTests
{
    private static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Live_answers_200_with_json_listing_only_the_self_check()
    {
        await using var app = await StartAppAsync(checks => checks.AddCheck("database", () => HealthCheckResult.Healthy()));

        var (status, body, response) = await GetAsync(app, "/health/live");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.True(body.GetProperty("durationMs").GetDouble() >= 0);
        var check = Assert.Single(body.GetProperty("checks").EnumerateArray());
        Assert.Equal("self", check.GetProperty("name").GetString());
        Assert.Equal("Healthy", check.GetProperty("status").GetString());
        Assert.Equal("The process is running.", check.GetProperty("description").GetString());
        Assert.True(check.GetProperty("durationMs").GetDouble() >= 0);
    }

    [Fact]
    public async Task Ready_answers_200_when_every_check_is_healthy_and_runs_the_services_own_checks()
    {
        await using var app = await StartAppAsync(checks => checks.AddCheck("database", () => HealthCheckResult.Healthy("schema at version 7")));

        var (status, body, _) = await GetAsync(app, "/health/ready");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        var names = body.GetProperty("checks").EnumerateArray().Select(check => check.GetProperty("name").GetString()).ToList();
        Assert.Equal(["self", "database"], names);
        Assert.Equal("schema at version 7", Check(body, "database").GetProperty("description").GetString());
    }

    [Fact]
    public async Task Ready_answers_200_with_status_degraded_when_a_shared_dependency_is_degraded()
    {
        await using var app = await StartAppAsync(checks => checks.AddCheck(
            "kafka",
            () => HealthCheckResult.Degraded("broker unreachable", data: new Dictionary<string, object> { ["brokers"] = 3, ["topic"] = "chirp.events" })));

        var (status, body, _) = await GetAsync(app, "/health/ready");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Degraded", body.GetProperty("status").GetString());
        var kafka = Check(body, "kafka");
        Assert.Equal("Degraded", kafka.GetProperty("status").GetString());
        Assert.Equal(3, kafka.GetProperty("data").GetProperty("brokers").GetInt32());
        Assert.Equal("chirp.events", kafka.GetProperty("data").GetProperty("topic").GetString());
    }

    [Fact]
    public async Task Ready_answers_503_naming_the_unhealthy_check_with_its_error_while_live_stays_200()
    {
        await using var app = await StartAppAsync(checks => checks.AddCheck(
            "database",
            () => HealthCheckResult.Unhealthy("cannot reach appdb", new InvalidOperationException("connection refused"))));

        var (readyStatus, ready, _) = await GetAsync(app, "/health/ready");
        var (liveStatus, live, _) = await GetAsync(app, "/health/live");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyStatus);
        Assert.Equal("Unhealthy", ready.GetProperty("status").GetString());
        var database = Check(ready, "database");
        Assert.Equal("Unhealthy", database.GetProperty("status").GetString());
        Assert.Equal("cannot reach appdb", database.GetProperty("description").GetString());
        Assert.Equal("connection refused", database.GetProperty("error").GetString());
        Assert.DoesNotContain("   at ", ready.GetRawText(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, liveStatus);
        Assert.Equal("Healthy", live.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_check_that_throws_is_unhealthy_with_the_exception_message()
    {
        await using var app = await StartAppAsync(checks => checks.AddCheck<ThrowingCheck>("redis"));

        var (status, body, _) = await GetAsync(app, "/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var redis = Check(body, "redis");
        Assert.Equal("Unhealthy", redis.GetProperty("status").GetString());
        Assert.Equal("redis is down", redis.GetProperty("error").GetString());
    }

    private sealed class ThrowingCheck : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("redis is down");
    }

    private static async Task<WebApplication> StartAppAsync(Action<IHealthChecksBuilder> addChecks)
    {
        var builder = TestApp.CreateBuilder("health");
        builder.AddServiceDefaults();
        addChecks(builder.Services.AddHealthChecks());
        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync(Cancel);
        return app;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> GetAsync(WebApplication app, string path)
    {
        var response = await app.GetTestClient().GetAsync(new Uri(path, UriKind.Relative), Cancel);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel));
        return (response.StatusCode, json.RootElement.Clone(), response);
    }

    private static JsonElement Check(JsonElement body, string name) =>
        body.GetProperty("checks").EnumerateArray().Single(check => check.GetProperty("name").GetString() == name);
}
