using System.Text.RegularExpressions;

namespace Migrator;

/// <summary>
/// The migration files of a database and their names. A file is <c>V0001_users.sql</c>: Evolve's prefix "V", a
/// four-digit version, one underscore (Evolve is told it is the separator), a slug. The project calls that migration
/// "0001_users" (readiness checks, Snapshot.Job's manifest), so a name never carries Evolve's prefix or suffix.
/// </summary>
public static partial class MigrationFiles
{
    /// <summary>Evolve's <c>SqlMigrationPrefix</c>.</summary>
    public const string Prefix = "V";

    /// <summary>Evolve's <c>SqlMigrationSeparator</c>: one underscore, since the versions are plain numbers.</summary>
    public const string Separator = "_";

    /// <summary>Evolve's <c>SqlMigrationSuffix</c>.</summary>
    public const string Suffix = ".sql";

    /// <summary>The start of the embedded resources of <paramref name="database"/>'s files (Evolve's <c>EmbeddedResourceFilters</c>).</summary>
    public static string ResourcePrefix(string database) => $"Migrator.migrations.{database}.";

    /// <summary>The embedded migrations of <paramref name="database"/> in version order, by name ("0001_users", ...).</summary>
    /// <exception cref="ArgumentException">The database is not one of <see cref="DatabaseMigrator.Databases"/>.</exception>
    /// <exception cref="MigrationException">A file is misnamed, or two files share a version.</exception>
    public static IReadOnlyList<string> For(string database)
    {
        DatabaseMigrator.CheckKnown(database);
        var prefix = ResourcePrefix(database);
        var files = typeof(MigrationFiles).Assembly.GetManifestResourceNames()
            .Where(resource => resource.StartsWith(prefix, StringComparison.Ordinal) && resource.EndsWith(Suffix, StringComparison.Ordinal))
            .Select(resource => resource[prefix.Length..]);
        return Checked(database, $"services/Migrator/migrations/{database}/", files);
    }

    /// <summary>The migrations in <paramref name="directory"/> and below (where Evolve looks) in version order, by name.</summary>
    /// <exception cref="MigrationException">A file is misnamed, or two files share a version.</exception>
    public static IReadOnlyList<string> InDirectory(string database, string directory) =>
        Checked(
            database,
            directory.TrimEnd('/') + "/",
            Directory.EnumerateFiles(directory, "*" + Suffix, SearchOption.AllDirectories).Select(Path.GetFileName).OfType<string>());

    /// <summary>"V0006_users_bio.sql" → "0006_users_bio"; any other text is returned as it is.</summary>
    public static string NameOf(string fileName) => FileNamePattern().Match(fileName) is { Success: true } match ? match.Groups["name"].Value : fileName;

    /// <summary>"0006_users_bio" → "V0006_users_bio.sql".</summary>
    public static string FileNameOf(string name) => Prefix + name + Suffix;

    /// <summary>The version of a name or file name ("0006_users_bio" → "0006"), as Evolve's version label.</summary>
    public static string? VersionOf(string nameOrFileName)
    {
        var match = FileNamePattern().Match(nameOrFileName.StartsWith(Prefix, StringComparison.Ordinal) ? nameOrFileName : FileNameOf(nameOrFileName));
        return match.Success ? match.Groups["version"].Value : null;
    }

    // Evolve skips a file whose name lacks the prefix without a word, and one such file would never run: every .sql file
    // must be a well-named migration. Two branches that took the same number are caught here too, naming both files.
    private static List<string> Checked(string database, string location, IEnumerable<string> fileNames)
    {
        var names = new List<(string Version, string Name)>();
        foreach (var fileName in fileNames.Order(StringComparer.Ordinal))
        {
            var match = FileNamePattern().Match(fileName);
            if (!match.Success)
            {
                throw new MigrationException(
                    $"{database}: {location}{fileName} is not named like V0001_slug.sql (V, four digits, an underscore, a slug of " +
                    "lowercase letters, digits and underscores), so Evolve would skip it: rename it with the next free number.");
            }

            names.Add((match.Groups["version"].Value, match.Groups["name"].Value));
        }

        foreach (var sameVersion in names.GroupBy(file => file.Version).Where(group => group.Count() > 1))
        {
            throw new MigrationException(
                $"{database}: {string.Join(" and ", sameVersion.Select(file => FileNameOf(file.Name)))} share version {sameVersion.Key}. " +
                "Two branches probably took the same number: renumber the one that is not applied anywhere yet after the newest migration.");
        }

        return names.OrderBy(file => file.Version, StringComparer.Ordinal).Select(file => file.Name).ToList();
    }

    [GeneratedRegex(@"^V(?<name>(?<version>[0-9]{4})_[a-z0-9][a-z0-9_]*)\.sql$")]
    private static partial Regex FileNamePattern();
}
