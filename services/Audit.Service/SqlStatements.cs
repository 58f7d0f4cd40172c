using System.Collections.Concurrent;

namespace Audit.Service;

/// <summary>The service's SQL, kept in .sql files beside the code that runs them and embedded at build time.</summary>
internal static class SqlStatements
{
    private static readonly ConcurrentDictionary<string, string> s_cache = new(StringComparer.Ordinal);

    /// <summary>The text of an embedded .sql file, by its path in the project, e.g. "Storage/Sql/claim_event_ids.sql".</summary>
    public static string Get(string path) => s_cache.GetOrAdd(path, static path =>
    {
        var assembly = typeof(SqlStatements).Assembly;
        var resource = assembly.GetManifestResourceNames()
            .FirstOrDefault(name => string.Equals(name.Replace('\\', '/'), path, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The SQL file '{path}' is not embedded in {assembly.GetName().Name}.");
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });
}
