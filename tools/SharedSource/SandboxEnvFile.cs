namespace SandboxShared;

/// <summary>
/// Reads <c>.sandbox/env</c>, the <c>KEY='value'</c> lines <c>scripts/infra up</c> writes (bash-sourceable; an
/// <c>export</c> prefix and comments are allowed). One source file, linked into the projects that read it.
/// </summary>
internal static class SandboxEnvFile
{
    public static string PathUnder(string repositoryRoot) => Path.Combine(repositoryRoot, ".sandbox", "env");

    /// <summary>The file's variables; empty when it does not exist.</summary>
    public static Dictionary<string, string> Read(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return values;
        }

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

            values[entry[..equals]] = Unquote(entry[(equals + 1)..]);
        }

        return values;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] is '\'' or '"') && value[^1] == value[0] ? value[1..^1] : value;
}
