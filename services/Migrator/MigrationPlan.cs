namespace Migrator;

/// <summary>The catalog compared with <c>schema_migrations</c>: what is pending and what stops a run.</summary>
internal sealed record MigrationPlan(
    IReadOnlyList<Migration> AlreadyApplied,
    IReadOnlyList<Migration> Pending,
    IReadOnlyList<AppliedMigration> UnknownToCatalog,
    IReadOnlyList<string> Problems)
{
    public static MigrationPlan Create(string database, IReadOnlyList<Migration> catalog, IReadOnlyList<AppliedMigration> applied)
    {
        var appliedByVersion = applied.ToDictionary(row => row.Version);
        var alreadyApplied = new List<Migration>();
        var pending = new List<Migration>();
        var problems = new List<string>();
        foreach (var migration in catalog)
        {
            if (!appliedByVersion.TryGetValue(migration.Version, out var row))
            {
                pending.Add(migration);
                continue;
            }

            alreadyApplied.Add(migration);
            if (!string.Equals(row.Name, migration.Name, StringComparison.Ordinal))
            {
                problems.Add(
                    $"{database}: version {migration.Version:D4} was applied as {row.Name}.sql, but the file with that version is now " +
                    $"{migration.Name}.sql. An applied migration keeps its name and content: give the new file the next free version.");
            }
            else if (!string.Equals(row.Checksum, migration.Checksum, StringComparison.Ordinal))
            {
                problems.Add(
                    $"{database}: {migration.Name}.sql changed after it was applied (checksum {Short(row.Checksum)} when applied, " +
                    $"{Short(migration.Checksum)} now). An applied migration is immutable: revert the edit and add a new migration instead.");
            }
        }

        var newestApplied = applied.Count == 0 ? 0 : applied.Max(row => row.Version);
        foreach (var migration in pending.Where(migration => migration.Version < newestApplied))
        {
            problems.Add(
                $"{database}: {migration.Name}.sql is pending, but the newer version {newestApplied:D4} is already applied. " +
                "It probably came from a branch merged late: renumber it after the newest applied migration.");
        }

        var catalogVersions = catalog.Select(migration => migration.Version).ToHashSet();
        var unknown = applied.Where(row => !catalogVersions.Contains(row.Version)).ToList();
        return new MigrationPlan(alreadyApplied, pending, unknown, problems);
    }

    private static string Short(string checksum) => checksum.Length > 12 ? checksum[..12] : checksum;
}
