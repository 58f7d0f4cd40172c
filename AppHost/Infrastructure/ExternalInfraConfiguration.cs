using Microsoft.Extensions.Configuration;
using SandboxShared;

/// <summary>
/// Loads <c>.sandbox/env</c>, the <c>ConnectionStrings__name='...'</c> lines <c>scripts/infra up</c> writes, into the
/// AppHost's configuration, so external mode needs no <c>source</c> first. A variable already set in the environment wins.
/// </summary>
internal static class ExternalInfraConfiguration
{
    public static bool TryLoad(ConfigurationManager configuration, string path)
    {
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"External mode uses the servers of scripts/infra up, and {path} is missing: run scripts/infra up first.");
            return false;
        }

        var values = new Dictionary<string, string?>();
        foreach (var (name, value) in SandboxEnvFile.Read(path))
        {
            var key = name.Replace("__", ":", StringComparison.Ordinal);
            if (configuration[key] is null)
            {
                values[key] = value;
            }
        }

        configuration.AddInMemoryCollection(values);
        return true;
    }
}
