using Microsoft.Extensions.Configuration;

/// <summary>
/// Loads <c>.sandbox/env</c>, the <c>ConnectionStrings__name='...'</c> lines <c>scripts/infra up</c> writes, into the
/// AppHost's configuration, so external mode needs no <c>source</c> first. A variable already set in the environment wins.
/// </summary>
internal static class SandboxEnvFile
{
    public static bool TryLoad(ConfigurationManager configuration, string path)
    {
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"External mode uses the servers of scripts/infra up, and {path} is missing: run scripts/infra up first.");
            return false;
        }

        var values = new Dictionary<string, string?>();
        foreach (var line in File.ReadLines(path))
        {
            var entry = line.Trim();
            if (entry.StartsWith("export ", StringComparison.Ordinal))
            {
                entry = entry["export ".Length..];
            }

            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (entry.StartsWith('#') || equals <= 0)
            {
                continue;
            }

            var key = entry[..equals].Replace("__", ":", StringComparison.Ordinal);
            if (configuration[key] is null)
            {
                values[key] = Unquote(entry[(equals + 1)..]);
            }
        }

        configuration.AddInMemoryCollection(values);
        return true;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] is '\'' or '"') && value[^1] == value[0] ? value[1..^1] : value;
}
