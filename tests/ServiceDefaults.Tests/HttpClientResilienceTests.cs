using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly.Timeout;

namespace ServiceDefaults.Tests;

/// <summary>HttpClients from IHttpClientFactory in a host using ServiceDefaults, against a real server that fails on purpose.</summary>
public sealed class HttpClientResilienceTests(FlakyServer server) : IClassFixture<FlakyServer>, IAsyncLifetime
{
    private static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    private IHost? host;

    public async ValueTask InitializeAsync() => host = await StartClientHostAsync();

    public async ValueTask DisposeAsync() => await StopAsync(host);

    [Fact]
    public async Task A_get_succeeds_after_two_503s_on_its_third_attempt()
    {
        var key = Key();

        using var response = await Client().GetAsync(Fail(key, times: 2, status: 503), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync(Cancel));
        Assert.Equal(3, server.AttemptsOf(key).Count);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PATCH")]
    public async Task A_non_idempotent_request_is_never_retried(string method)
    {
        var key = Key();

        using var request = new HttpRequestMessage(new HttpMethod(method), Fail(key, times: 2, status: 503)) { Content = new StringContent("{}") };
        using var response = await Client().SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Single(server.AttemptsOf(key));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(408)]
    [InlineData(429)]
    public async Task A_transient_status_is_retried_three_times(int status)
    {
        var key = Key();

        using var response = await Client().GetAsync(Fail(key, times: 10, status: status), Cancel);

        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        Assert.Equal(4, server.AttemptsOf(key).Count);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(501)]
    public async Task A_status_that_will_not_change_is_not_retried(int status)
    {
        var key = Key();

        using var response = await Client().GetAsync(Fail(key, times: 10, status: status), Cancel);

        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        Assert.Single(server.AttemptsOf(key));
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("HEAD")]
    [InlineData("OPTIONS")]
    public async Task Other_idempotent_methods_are_retried(string method)
    {
        var key = Key();

        using var request = new HttpRequestMessage(new HttpMethod(method), Fail(key, times: 1, status: 503));
        using var response = await Client().SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, server.AttemptsOf(key).Count);
    }

    [Fact]
    public async Task A_retried_put_sends_the_same_body_each_time_even_from_a_stream()
    {
        var key = Key();

        using var body = new MemoryStream("{\"text\":\"hello\"}"u8.ToArray());
        using var request = new HttpRequestMessage(HttpMethod.Put, Fail(key, times: 2, status: 503)) { Content = new StreamContent(body) };
        using var response = await Client().SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.All(server.AttemptsOf(key), attempt => Assert.Equal("{\"text\":\"hello\"}", attempt.Body));
        Assert.Equal(3, server.AttemptsOf(key).Count);
    }

    [Fact]
    public async Task An_attempt_that_hangs_is_cut_off_by_the_attempt_timeout_and_retried()
    {
        var key = Key();
        using var shortAttempts = await StartClientHostAsync(options => options.AttemptTimeout = TimeSpan.FromSeconds(1));

        using var response = await Client(shortAttempts).GetAsync(new Uri(server.BaseAddress, $"/hang/{key}?times=1"), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, server.AttemptsOf(key).Count);
        await StopAsync(shortAttempts);
    }

    [Fact]
    public async Task A_call_that_outlasts_the_total_timeout_ends_with_a_timeout()
    {
        var key = Key();
        using var shortCalls = await StartClientHostAsync(options => options.TotalTimeout = TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => Client(shortCalls).GetAsync(new Uri(server.BaseAddress, $"/hang/{key}?times=10"), Cancel));

        Assert.Single(server.AttemptsOf(key));
        await StopAsync(shortCalls);
    }

    [Fact]
    public async Task A_connection_failure_is_retried()
    {
        using var response = await host!.Services.GetRequiredService<IHttpClientFactory>().CreateClient("stub")
            .GetAsync(new Uri("http://stub.invalid/"), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_servers_retry_after_is_honoured()
    {
        var key = Key();

        using var response = await Client().GetAsync(new Uri(server.BaseAddress, $"/fail/{key}?times=1&status=503&retryAfter=1"), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var attempts = server.AttemptsOf(key);
        Assert.Equal(2, attempts.Count);
        // The backoff alone would wait a millisecond; Retry-After asks for a second.
        Assert.True(attempts[1].At - attempts[0].At >= TimeSpan.FromMilliseconds(900), $"{attempts[1].At - attempts[0].At}");
    }

    [Fact]
    public async Task Each_attempt_is_its_own_client_span_in_the_callers_trace()
    {
        var key = Key();
        using var source = new ActivitySource("resilience-client");
        using var caller = source.StartActivity("caller");
        Assert.NotNull(caller);

        using var response = await Client().GetAsync(Fail(key, times: 2, status: 503), Cancel);

        var traceParents = server.AttemptsOf(key).Select(attempt => attempt.TraceParent).ToList();
        Assert.Equal(3, traceParents.Count);
        Assert.All(traceParents, traceParent => Assert.StartsWith($"00-{caller.TraceId}-", traceParent, StringComparison.Ordinal));
        Assert.Equal(3, traceParents.Distinct().Count());
    }

    private HttpClient Client(IHost? other = null) => (other ?? host)!.Services.GetRequiredService<IHttpClientFactory>().CreateClient();

    /// <summary>A worker-style host using ServiceDefaults, with tiny backoff delays to keep the tests quick.</summary>
    private static async Task<IHost> StartClientHostAsync(Action<HttpClientResilienceOptions>? tweak = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "resilience-client",
            EnvironmentName = "Testing",
            Configuration = new ConfigurationManager(),
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "" });
        builder.Logging.ClearProviders();
        builder.AddServiceDefaults(options =>
        {
            options.HttpClientResilience.BaseDelay = TimeSpan.FromMilliseconds(1);
            tweak?.Invoke(options.HttpClientResilience);
        });
        builder.Services.AddHttpClient("stub").ConfigurePrimaryHttpMessageHandler(() => new RefusingHandler(refusals: 2));
        var started = builder.Build();
        await started.StartAsync(Cancel);
        return started;
    }

    private static async Task StopAsync(IHost? stopping)
    {
        if (stopping is not null)
        {
            await stopping.StopAsync(CancellationToken.None);
            stopping.Dispose();
        }
    }

    private Uri Fail(string key, int times, int status) => new(server.BaseAddress, $"/fail/{key}?times={times}&status={status}");

    private static string Key() => Guid.NewGuid().ToString("N");

    /// <summary>A primary handler that refuses the first connections, as a server that is not up yet would.</summary>
    private sealed class RefusingHandler(int refusals) : HttpMessageHandler
    {
        private int calls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref calls) <= refusals
                ? throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused")
                : Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
    }
}
