using System.Globalization;
using System.Text.Json;

namespace Lab.Checker.Infrastructure;

/// <summary>
/// The connection strings of the AppHost's servers, built from AppHost/appsettings.json (fixed host ports and the
/// documented local passwords, the same in container and native mode), so <c>./lab</c> finds the servers of
/// <c>dotnet run --project AppHost</c> with nothing to set.
/// </summary>
public static class AppHostDefaults
{
    public static Dictionary<string, string> Read(string repositoryRoot)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var path = Path.Combine(repositoryRoot, "AppHost", "appsettings.json");
        if (!File.Exists(path))
        {
            return values;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var root = document.RootElement;
        if (Setting(root, "Sandbox", "Ports", "Postgres") is { } postgresPort && Setting(root, "Parameters", "postgres-password") is { } postgresPassword)
        {
            values["labdb"] = $"Host=localhost;Port={postgresPort};Username=postgres;Password={postgresPassword};Database=labdb";
        }

        if (Setting(root, "Sandbox", "Ports", "Redis") is { } redisPort && Setting(root, "Parameters", "redis-password") is { } redisPassword)
        {
            values["redis"] = $"localhost:{redisPort},password={redisPassword}";
        }

        if (Setting(root, "Sandbox", "Ports", "Kafka") is { } kafkaPort)
        {
            values["kafka"] = $"localhost:{kafkaPort}";
        }

        // Native mode's mock cluster only: whoever uses it checks that it answers (containers run Apache Kafka instead).
        if (Setting(root, "Sandbox", "Ports", "KafkaControl") is { } controlPort)
        {
            values[LabConnections.KafkaControl] = $"127.0.0.1:{controlPort}";
        }

        return values;
    }

    private static string? Setting(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number => element.GetInt32().ToString(CultureInfo.InvariantCulture),
            _ => null,
        };
    }
}
