using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ServiceDefaults.Tests;

/// <summary>Minimal web apps for the tests, configured in memory so that tests running in parallel never share settings.</summary>
internal static class TestApp
{
    /// <summary>
    /// A builder on the in-memory test server (or on Kestrel at 127.0.0.1 on a free port) whose configuration is
    /// <paramref name="settings"/> over the usual sources. OTLP export stays off unless the settings turn it on, whatever the
    /// environment of the test process says.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(
        string applicationName,
        IReadOnlyDictionary<string, string?>? settings = null,
        bool kestrel = false)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = applicationName,
            EnvironmentName = "Testing",
        });

        var configuration = new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Information);

        if (kestrel)
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        return builder;
    }

    /// <summary>The address Kestrel listens on, once the app has started.</summary>
    public static Uri BaseAddress(this WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
}
