using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;

namespace ServiceDefaults.Tests;

/// <summary>
/// What ServiceDefaults configures on every HttpClient made by IHttpClientFactory (the standard resilience handler, retries
/// for safe methods only, service discovery), checked against a real Kestrel server that fails on purpose.
/// </summary>
public sealed class HttpClientResilienceTests(FlakyServer server) : IClassFixture<FlakyServer>, IAsyncLifetime
{
    private static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    private IHost? host;

    public async ValueTask InitializeAsync() => host = await StartClientHostAsync(server);

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

    [Fact]
    public async Task A_get_that_keeps_failing_gets_the_standard_three_retries_then_the_last_response()
    {
        var key = Key();

        using var response = await Client().GetAsync(Fail(key, times: 10, status: 503), Cancel);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(4, server.AttemptsOf(key).Count);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PATCH")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task An_unsafe_method_is_never_retried(string method)
    {
        // The standard handler retries every method unless told otherwise; ServiceDefaults tells it otherwise.
        var key = Key();

        using var request = new HttpRequestMessage(new HttpMethod(method), Fail(key, times: 2, status: 503)) { Content = new StringContent("{}") };
        using var response = await Client().SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Single(server.AttemptsOf(key));
    }

    [Theory]
    [InlineData("HEAD")]
    [InlineData("OPTIONS")]
    public async Task Other_safe_methods_are_retried(string method)
    {
        var key = Key();

        using var request = new HttpRequestMessage(new HttpMethod(method), Fail(key, times: 1, status: 503));
        using var response = await Client().SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, server.AttemptsOf(key).Count);
    }

    [Fact]
    public async Task A_connection_refused_is_retried()
    {
        using var response = await host!.Services.GetRequiredService<IHttpClientFactory>().CreateClient("refusing")
            .GetAsync(new Uri("http://refusing.invalid/"), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_standard_handlers_options_set_the_attempt_timeout_after_which_a_hung_get_is_retried()
    {
        var key = Key();
        using var shortAttempts = await StartClientHostAsync(server, resilience => resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(1));

        using var response = await Client(shortAttempts).GetAsync(new Uri(server.BaseAddress, $"/hang/{key}?times=1"), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, server.AttemptsOf(key).Count);
        await StopAsync(shortAttempts);
    }

    [Fact]
    public async Task A_service_name_is_resolved_from_configuration_by_service_discovery()
    {
        var key = Key();

        using var response = await Client().GetAsync(new Uri($"http://flaky/fail/{key}?times=0&status=500"), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(server.AttemptsOf(key));
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

    /// <summary>
    /// A worker-style host using ServiceDefaults, where the service "flaky" is the flaky server; the standard handler's
    /// backoff is cut to a millisecond to keep the tests quick.
    /// </summary>
    private static async Task<IHost> StartClientHostAsync(FlakyServer server, Action<HttpStandardResilienceOptions>? tweak = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "resilience-client",
            EnvironmentName = "Testing",
            Configuration = new ConfigurationManager(),
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "",
            ["services:flaky:http:0"] = server.BaseAddress.ToString(),
        });
        builder.Logging.ClearProviders();
        builder.AddServiceDefaults();
        builder.Services.ConfigureAll<HttpStandardResilienceOptions>(resilience =>
        {
            resilience.Retry.Delay = TimeSpan.FromMilliseconds(1);
            tweak?.Invoke(resilience);
        });
        builder.Services.AddHttpClient("refusing").ConfigurePrimaryHttpMessageHandler(() => new RefusingHandler(refusals: 2));
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
