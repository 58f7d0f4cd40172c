using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;

namespace Chirp.Api.IntegrationTests;

/// <summary>Chirp.Api in memory, with its configuration (connection strings, outbox settings) given by the test.</summary>
public sealed class ChirpApiFactory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment(Environments.Production);
        // UseSetting, not ConfigureAppConfiguration: the factory passes these as command-line arguments, which Program's
        // builder sees at once (Aspire's integrations read ConnectionStrings:* while Program registers them) and which
        // win over the ConnectionStrings__* variables scripts/test exports. ConfigureAppConfiguration applies only when
        // Program calls Build(), too late.
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
