namespace Snapshot.Job.Steps;

/// <summary>
/// One step of a run. The runner records a step as done once <see cref="RunAsync"/> returns, and a resumed run skips
/// the steps recorded. So a step must be safe to run again after a crash in its middle: either its work is one
/// transaction, or it records each unit of its work in the unit's own transaction (see TableMasking), or it redoes
/// everything from scratch (the copy) or overwrites the same file (the snapshot).
/// </summary>
internal interface ISnapshotStep
{
    /// <summary>1 to 4, the order the steps run in.</summary>
    int Number { get; }

    /// <summary>A short name for logs, spans and the manifest: copy, anonymize, replace-secrets, write-snapshot.</summary>
    string Name { get; }

    Task<StepResult> RunAsync(StepContext context, CancellationToken cancellationToken);
}

/// <summary>What a step did, table by table.</summary>
internal sealed record StepResult(IReadOnlyList<TableRows> Tables)
{
    public long Rows => Tables.Sum(table => table.Rows);
}

/// <summary>Rows of one table that a step copied, masked or wrote.</summary>
internal sealed record TableRows(Masking.TableName Table, long Rows);
