using Audit.Service;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Audit.Benchmarks;

/// <summary>Audit.Service's own composition root in this process, pointed at a benchmark database and topic.</summary>
internal static class AuditHost
{
    public static IHost Build(string connectionString, string kafka, string? topic)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "Audit.Service",
            EnvironmentName = "Benchmark",
            DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:auditdb"] = connectionString,
            ["ConnectionStrings:kafka"] = kafka,
            ["Audit:Consumer:Enabled"] = topic is null ? "false" : "true",
            ["Audit:Consumer:Topic"] = topic ?? "unused",
            ["Audit:Consumer:DeadLetterTopic"] = (topic ?? "unused") + ".dlq",
            ["Audit:Consumer:GroupId"] = $"audit-bench-{Guid.NewGuid():N}",
        });
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.AddAuditService();
        return builder.Build();
    }
}
