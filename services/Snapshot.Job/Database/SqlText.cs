using System.Collections.Concurrent;

namespace Snapshot.Job.Database;

/// <summary>Loads the .sql files embedded from this project (path relative to the project, e.g. "State/create_state.sql").</summary>
internal static class SqlText
{
    private static readonly ConcurrentDictionary<string, string> s_cache = new(StringComparer.Ordinal);

    public static string Load(string path) => s_cache.GetOrAdd(path, static key =>
    {
        var assembly = typeof(SqlText).Assembly;
        // MSBuild's RecursiveDir uses the platform's separator, so a Windows build names the resource with '\'.
        var resource = assembly.GetManifestResourceNames()
            .FirstOrDefault(name => string.Equals(name.Replace('\\', '/'), key, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"Embedded SQL '{key}' is missing.");
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });
}
