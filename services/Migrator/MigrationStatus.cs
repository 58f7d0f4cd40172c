namespace Migrator;

/// <summary>
/// Where a database stands against the catalog, read without changing anything (<c>--status</c>).
/// <paramref name="Problems"/> lists what would stop a run (a changed file, a pending file older than an applied one).
/// </summary>
public sealed record MigrationStatus(
    string Database,
    IReadOnlyList<AppliedMigration> Applied,
    IReadOnlyList<Migration> Pending,
    IReadOnlyList<string> Problems);
