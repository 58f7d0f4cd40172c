namespace Migrator;

/// <summary>What one run did: the migrations it applied now and those that were already there (by name, e.g. "0001_users").</summary>
public sealed record MigrationReport(string Database, IReadOnlyList<string> Applied, IReadOnlyList<string> AlreadyApplied);
