using Snapshot.Job.Masking;

namespace Snapshot.Job.State;

/// <summary>A run as its state row records it: what it copies, with which rules and key, and since when.</summary>
internal sealed record RunInfo(
    Guid Id,
    string Application,
    int RulesVersion,
    string RulesSha256,
    RunKey Key,
    string SourceDatabase,
    string SourceServerVersion,
    string? SourceSchemaVersion,
    DateTimeOffset StartedAt,
    int Attempts);

/// <summary>A step that is done, with the rows it handled and how long the attempt that finished it took.</summary>
internal sealed record CompletedStep(int Step, string Name, long Rows, long DurationMs, DateTimeOffset CompletedAt);
