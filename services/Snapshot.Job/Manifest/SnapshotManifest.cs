namespace Snapshot.Job.Manifest;

/// <summary>
/// What a snapshot holds, written beside the .dump: per table the rows and a checksum of their content, each step's
/// duration, the rules and source it came from. Two snapshots of the same source made with the same run key have the
/// same checksums; restoring the dump and checksumming again (TableFingerprint) must give this file's values.
/// </summary>
internal sealed record SnapshotManifest(
    string Application,
    string Dump,
    long DumpBytes,
    string DumpSha256,
    Guid RunId,
    DateTimeOffset StartedAt,
    DateTimeOffset CompletedAt,
    int Attempts,
    ManifestRules Rules,
    ManifestSource Source,
    string PgDumpVersion,
    IReadOnlyList<ManifestStep> Steps,
    IReadOnlyList<ManifestTable> Tables);

internal sealed record ManifestRules(string File, int Version, string Sha256);

internal sealed record ManifestSource(string Database, string ServerVersion, string? SchemaVersion);

internal sealed record ManifestStep(int Number, string Name, long Rows, long DurationMs, DateTimeOffset CompletedAt);

/// <summary>A table: masked, kept, or truncated (no rows copied); its rows and "sha256:..." of its ordered rows.</summary>
internal sealed record ManifestTable(string Table, string Treatment, long Rows, string Checksum);
