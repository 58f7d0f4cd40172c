using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Snapshot.Job.Database;
using Snapshot.Job.Manifest;
using Snapshot.Job.Masking;
using Snapshot.Job.Resilience;
using Snapshot.Job.State;
using Snapshot.Job.Testing;

namespace Snapshot.Job.Steps;

/// <summary>Everything a step may use: the rules, the run, the source and the work database, the tools, the retries.</summary>
internal sealed class StepContext
{
    public required SnapshotRules Rules { get; init; }

    public required RunInfo Run { get; init; }

    public required SourceFacts Source { get; init; }

    /// <summary>The source's tables and columns, as checked against the rules before the run started.</summary>
    public required DatabaseCatalog Catalog { get; init; }

    public required string SourceConnectionString { get; init; }

    public required WorkDatabase Work { get; init; }

    public required RunState State { get; init; }

    public required PgToolRunner PgTools { get; init; }

    public required RetryRunner Retry { get; init; }

    public required SnapshotFiles Files { get; init; }

    /// <summary>The steps done so far, by this process or an earlier one.</summary>
    public required IReadOnlyList<CompletedStep> CompletedSteps { get; init; }

    public required TestHooks Hooks { get; init; }

    public required ActivitySource ActivitySource { get; init; }

    public required ILogger Logger { get; init; }

    /// <summary>The column types of <paramref name="table"/>, by column name (format_type's spelling).</summary>
    public IReadOnlyDictionary<string, string> ColumnTypes(TableName table) =>
        Catalog.Columns.Where(column => column.Table == table).ToDictionary(column => column.Column, column => column.DataType, StringComparer.Ordinal);

    /// <summary>A span for one table's part of a step, e.g. "anonymize public.users".</summary>
    public Activity? StartTableActivity(ISnapshotStep step, TableName table)
    {
        ArgumentNullException.ThrowIfNull(step);
        var activity = ActivitySource.StartActivity($"{step.Name} {table}");
        activity?.SetTag("db.system.name", "postgresql");
        activity?.SetTag("db.namespace", Work.Name);
        activity?.SetTag("db.collection.name", table.ToString());
        activity?.SetTag("snapshot.step", step.Name);
        return activity;
    }
}
