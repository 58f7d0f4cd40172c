using System.Collections.Concurrent;
using System.Reflection;
using SandboxShared;

namespace Migrator;

/// <summary>The migration files embedded in this assembly, per database, checked for gaps and duplicates.</summary>
public static class MigrationCatalog
{
    private const string ResourcePrefix = "migrations/";
    private static readonly ConcurrentDictionary<string, IReadOnlyList<Migration>> s_cache = new(StringComparer.Ordinal);

    /// <summary>The databases the Migrator knows, in the order it migrates them.</summary>
    public static IReadOnlyList<string> Databases { get; } = ["appdb", "auditdb"];

    /// <summary>The migrations of <paramref name="database"/>, ordered by version.</summary>
    /// <exception cref="ArgumentException">The database is not one of <see cref="Databases"/>.</exception>
    /// <exception cref="MigrationException">Two files share a version, or a version is missing.</exception>
    public static IReadOnlyList<Migration> For(string database)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (!Databases.Contains(database, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"Unknown database '{database}'; the Migrator knows {string.Join(", ", Databases)}.", nameof(database));
        }

        return s_cache.GetOrAdd(database, static name => Ordered(name, LoadEmbedded(name)));
    }

    /// <summary>
    /// Orders <paramref name="migrations"/> by version and checks that the versions run 1, 2, 3, ... without a gap
    /// or a duplicate (the usual sign of two branches that both added the same number).
    /// </summary>
    public static IReadOnlyList<Migration> Ordered(string database, IEnumerable<Migration> migrations)
    {
        var ordered = migrations.OrderBy(migration => migration.Version).ThenBy(migration => migration.Name, StringComparer.Ordinal).ToList();
        for (var index = 0; index < ordered.Count; index++)
        {
            var expected = index + 1;
            var migration = ordered[index];
            if (index > 0 && migration.Version == ordered[index - 1].Version)
            {
                throw new MigrationException(
                    $"{database}: {ordered[index - 1].Name} and {migration.Name} share version {migration.Version}. " +
                    "Renumber the newer one after the newest migration.");
            }

            if (migration.Version != expected)
            {
                throw new MigrationException(
                    $"{database}: version {expected:D4} is missing before {migration.Name}. Versions must run 0001, 0002, ... without gaps.");
            }
        }

        return ordered;
    }

    private static IEnumerable<Migration> LoadEmbedded(string database)
    {
        var assembly = typeof(MigrationCatalog).Assembly;
        var prefix = $"{ResourcePrefix}{database}/";
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            // MSBuild's RecursiveDir uses the platform's separator; normalise so Windows builds behave the same.
            var name = resource.Replace('\\', '/');
            if (!name.StartsWith(prefix, StringComparison.Ordinal) || name.IndexOf('/', prefix.Length) >= 0)
            {
                continue;
            }

            yield return Migration.FromFile(name[prefix.Length..], EmbeddedSql.Load(assembly, name));
        }
    }
}
