using System.Collections.Concurrent;
using System.Reflection;

namespace SandboxShared;

/// <summary>
/// The text of a .sql file embedded in an assembly, by its path in the project ("Chirps/insert_chirp.sql"), read once.
/// One source file, linked into every project that keeps its SQL in .sql files.
/// </summary>
internal static class EmbeddedSql
{
    private static readonly ConcurrentDictionary<(Assembly, string), string> s_cache = new();

    public static string Load(Assembly assembly, string path) => s_cache.GetOrAdd((assembly, path), static key =>
    {
        var (assembly, path) = key;
        // MSBuild's RecursiveDir uses the platform's separator, so a Windows build names the resource with '\'.
        var resource = assembly.GetManifestResourceNames()
            .FirstOrDefault(name => string.Equals(name.Replace('\\', '/'), path, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The SQL file '{path}' is not embedded in {assembly.GetName().Name}.");
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });
}
