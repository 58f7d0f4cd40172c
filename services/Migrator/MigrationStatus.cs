namespace Migrator;

/// <summary>
/// Where a database stands against its migration files, read without changing anything (<c>--status</c>).
/// <paramref name="Problems"/> lists what would stop a run (a changed file, a pending file older than an applied one).
/// </summary>
public sealed record MigrationStatus(
    string Database,
    IReadOnlyList<AppliedMigration> Applied,
    IReadOnlyList<string> Pending,
    IReadOnlyList<string> Problems);
