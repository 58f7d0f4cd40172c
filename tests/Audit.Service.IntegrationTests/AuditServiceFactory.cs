using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Audit.Service.IntegrationTests;

/// <summary>
/// Audit.Service in-process, from its own Program, with a test's database, topics and consumer group as configuration.
/// </summary>
internal sealed class AuditServiceFactory(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    public static AuditServiceFactory Create(
        string auditDbConnectionString,
        string kafkaBootstrapServers,
        AuditTopics? topics = null,
        Action<IServiceCollection>? services = null,
        params (string Key, string? Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["ConnectionStrings:auditdb"] = auditDbConnectionString,
            ["ConnectionStrings:kafka"] = kafkaBootstrapServers,
            ["Audit:Consumer:Enabled"] = topics is null ? "false" : "true",
            ["Audit:Consumer:Topic"] = topics?.Events ?? "unused",
            ["Audit:Consumer:DeadLetterTopic"] = topics?.DeadLetters ?? "unused.dlq",
            ["Audit:Consumer:GroupId"] = topics?.Group ?? "unused",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        return new AuditServiceFactory(settings, services);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // UseSetting: passed as command-line arguments, so Program's builder sees them while the integrations register.
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        if (services is not null)
        {
            builder.ConfigureTestServices(services);
        }
    }
}

/// <summary>A test's own events topic, dead-letter topic and consumer group.</summary>
internal sealed record AuditTopics(string Events, string DeadLetters, string Group)
{
    public static async Task<AuditTopics> CreateAsync(Sandbox.Testing.KafkaFixture kafka, string purpose, int partitions = 1)
    {
        var events = Sandbox.Testing.KafkaFixture.UniqueTopic($"audit-{purpose}");
        var topics = new AuditTopics(events, events + ".dlq", $"audit-{purpose}-{Guid.NewGuid():N}");
        await kafka.CreateTopicAsync(topics.Events, partitions);
        await kafka.CreateTopicAsync(topics.DeadLetters, 1);
        return topics;
    }
}
