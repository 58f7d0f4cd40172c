namespace Snapshot.Job;

/// <summary>The job's exit codes: 0 when the snapshot is written; otherwise what kind of problem stopped it.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A database or tool error that retrying cannot fix (a wrong password, a constraint, a bug).</summary>
    public const int Failed = 1;

    /// <summary>A setting, the rules file or pg_dump is missing or wrong; nothing was changed.</summary>
    public const int InvalidConfiguration = 2;

    /// <summary>The rules do not classify the source's schema (or name what is not there); nothing was copied.</summary>
    public const int RulesMismatch = 3;

    /// <summary>Transient failures outlasted the retries; the work database is kept for the next run.</summary>
    public const int Unavailable = 4;

    /// <summary>Another run of the same application holds the lock.</summary>
    public const int AlreadyRunning = 5;

    /// <summary>Stopped (Ctrl+C, SIGTERM); the next run resumes.</summary>
    public const int Cancelled = 6;
}
