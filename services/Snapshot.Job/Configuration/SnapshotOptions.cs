using Snapshot.Job.Testing;

namespace Snapshot.Job.Configuration;

/// <summary>The <c>Snapshot</c> configuration section (environment variables <c>Snapshot__*</c>, or <c>--Snapshot:Key=value</c>).</summary>
internal sealed class SnapshotOptions
{
    public const string Section = "Snapshot";

    /// <summary>Picks the shipped rules file <c>rules/&lt;application&gt;.json</c> when <see cref="Rules"/> is not set.</summary>
    public string Application { get; set; } = "chirp";

    /// <summary>Path of the rules file; relative paths are resolved against the current directory.</summary>
    public string? Rules { get; set; }

    /// <summary>Where the .dump and .manifest.json files go; created if missing.</summary>
    public string OutputDirectory { get; set; } = Path.Combine(".sandbox", "snapshots");

    /// <summary>The work database's name; by default <c>&lt;source&gt;_snapshot_&lt;application&gt;</c>.</summary>
    public string? WorkDatabase { get; set; }

    /// <summary>A directory holding pg_dump and pg_restore; by default the newest found on this machine.</summary>
    public string? PgBinDirectory { get; set; }

    /// <summary>An interrupted run older than this is not resumed: its copy of the source is stale, so it starts over.</summary>
    public TimeSpan MaxResumeAge { get; set; } = TimeSpan.FromDays(1);

    public RetryOptions Retry { get; set; } = new();

    public TestingOptions Testing { get; set; } = new();

    /// <summary>What is wrong with the settings, one line each; empty when they can be used.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(OutputDirectory))
        {
            problems.Add("Snapshot:OutputDirectory is empty: name the directory the snapshots are written to.");
        }

        if (Retry.MaxAttempts is < 0 or > 100)
        {
            problems.Add("Snapshot:Retry:MaxAttempts must be from 0 (no retries) to 100.");
        }

        if (Retry.BaseDelay <= TimeSpan.Zero || Retry.MaxDelay < Retry.BaseDelay || Retry.MaxDelay > TimeSpan.FromHours(1))
        {
            problems.Add("Snapshot:Retry:BaseDelay must be positive and at most Snapshot:Retry:MaxDelay, itself at most an hour.");
        }

        if (MaxResumeAge < TimeSpan.Zero)
        {
            problems.Add("Snapshot:MaxResumeAge must not be negative.");
        }

        if (Testing.CrashAt is { Length: > 0 } crashAt && !TestHooks.Points.Contains(crashAt, StringComparer.Ordinal))
        {
            problems.Add($"Snapshot:Testing:CrashAt must be one of {string.Join(", ", TestHooks.Points)}.");
        }

        if (Testing.RunKey is { Length: > 0 } runKey && (runKey.Length != 64 || !runKey.All(char.IsAsciiHexDigit)))
        {
            problems.Add("Snapshot:Testing:RunKey must be 64 hex digits.");
        }

        return problems;
    }
}

/// <summary>Retries of transient failures: exponential backoff with jitter.</summary>
internal sealed class RetryOptions
{
    /// <summary>Retries after the first attempt of one unit of work (a table, a copy, a dump).</summary>
    public int MaxAttempts { get; set; } = 8;

    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Hooks for the tests and the exercise checker; never set in a real run.</summary>
internal sealed class TestingOptions
{
    /// <summary>Kills the process (as <c>kill -9</c> would) at a point: <c>after-step-N</c> or <c>in-step-N</c>, N = 1..4.</summary>
    public string? CrashAt { get; set; }

    /// <summary>The run key (64 hex digits) of a new run instead of a random one, so two runs can be compared.</summary>
    public string? RunKey { get; set; }
}
