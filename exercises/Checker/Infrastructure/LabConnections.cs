using SandboxShared;

namespace Lab.Checker.Infrastructure;

/// <summary>
/// The connection strings the checker uses: <c>ConnectionStrings__labdb</c>, <c>__kafka</c>, <c>__redis</c> from the
/// environment (as Aspire sets them), else from <c>.sandbox/env</c>, which <c>scripts/infra up</c> writes, else the
/// fixed ports and local passwords the AppHost gives its containers.
/// </summary>
public sealed class LabConnections
{
    public const string StartCommand = "scripts/infra up";

    /// <summary>The native mock Kafka cluster's control port (topic creation and deletion): native mode only.</summary>
    public const string KafkaControl = MockClusterControlClient.Variable;

    private readonly Dictionary<string, string> _values;

    private LabConnections(Dictionary<string, string> values, string envFile)
    {
        _values = values;
        EnvFile = envFile;
    }

    public string EnvFile { get; }

    public static LabConnections Load(string repositoryRoot)
    {
        var envFile = SandboxEnvFile.PathUnder(repositoryRoot);
        var fromFile = SandboxEnvFile.Read(envFile);
        var fromAppHost = AppHostDefaults.Read(repositoryRoot);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in new[] { "labdb", "kafka", "redis", KafkaControl })
        {
            var key = name == KafkaControl ? KafkaControl : $"ConnectionStrings__{name}";
            var value = Environment.GetEnvironmentVariable(key);
            if (string.IsNullOrWhiteSpace(value))
            {
                fromFile.TryGetValue(key, out value);
            }

            if (string.IsNullOrWhiteSpace(value) && fromAppHost.TryGetValue(name, out value) && name == KafkaControl
                && !MockClusterControlClient.Answers(value, TimeSpan.FromMilliseconds(500)))
            {
                value = null; // the AppHost runs containers (Apache Kafka), not the mock
            }

            if (!string.IsNullOrWhiteSpace(value))
            {
                values[name] = value;
            }
        }

        return new LabConnections(values, envFile);
    }

    /// <summary>Connection strings given directly (tests): labdb, kafka, redis, SANDBOX_KAFKA_CONTROL.</summary>
    public static LabConnections FromValues(IReadOnlyDictionary<string, string> values) =>
        new(new Dictionary<string, string>(values, StringComparer.Ordinal), "(given directly)");

    public string? Find(string name) => _values.GetValueOrDefault(name);
}
