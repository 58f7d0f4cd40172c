using SandboxShared;

namespace Sandbox.Testing;

/// <summary>
/// Finds the connection strings the tests use: from the process environment (as Aspire or
/// <c>scripts/test</c> sets them), else from the <c>.sandbox/env</c> file <c>scripts/infra up</c> writes.
/// </summary>
public static class SandboxEnvironment
{
    public const string StartCommand = "scripts/infra up";

    private static readonly Lazy<string> s_repositoryRoot = new(FindRepositoryRoot);
    private static readonly Lazy<Dictionary<string, string>> s_envFile = new(() => SandboxEnvFile.Read(EnvFilePath));

    public static string RepositoryRoot => s_repositoryRoot.Value;

    public static string EnvFilePath => SandboxEnvFile.PathUnder(RepositoryRoot);

    /// <summary>The connection string named <paramref name="name"/> (appdb, auditdb, labdb, redis, kafka).</summary>
    public static string ConnectionString(string name)
    {
        var key = $"ConnectionStrings__{name}";
        var value = Variable(key);
        if (value is null)
        {
            throw new InfrastructureUnavailableException(
                $"No connection string '{name}': neither the environment variable {key} nor {EnvFilePath} has it. " +
                $"Start the native infrastructure with `{StartCommand}` (from the repository root), then run the tests again.");
        }

        return value;
    }

    /// <summary>A variable from the environment, else from <c>.sandbox/env</c>; null when neither has it.</summary>
    public static string? Variable(string key)
    {
        var value = Environment.GetEnvironmentVariable(key);
        if (string.IsNullOrWhiteSpace(value))
        {
            s_envFile.Value.TryGetValue(key, out value);
        }

        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sandbox.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Sandbox.sln not found above {AppContext.BaseDirectory}.");
    }
}
