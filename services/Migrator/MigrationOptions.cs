using Microsoft.Extensions.Logging;

namespace Migrator;

/// <summary>How <see cref="DatabaseMigrator"/> runs; the defaults are what production does.</summary>
public sealed record MigrationOptions
{
    /// <summary>Stop after this migration (e.g. "0002_api_keys"): a database that is behind, for a test. Default: all.</summary>
    public string? UpTo { get; init; }

    /// <summary>
    /// Read the V0001_slug.sql files of this directory instead of the embedded ones: tests that change, break or slow down
    /// a migration. Default: the files in services/Migrator/migrations/&lt;database&gt;/, embedded in this assembly.
    /// </summary>
    public string? Directory { get; init; }

    /// <summary>Receives Evolve's log, one line per applied file with its duration among it. Default: none.</summary>
    public ILogger? Logger { get; init; }
}
