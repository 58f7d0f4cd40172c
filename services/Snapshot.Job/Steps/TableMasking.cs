using Microsoft.Extensions.Logging;
using Npgsql;
using Snapshot.Job.Database;
using Snapshot.Job.Masking;
using Snapshot.Job.State;
using Snapshot.Job.Testing;

namespace Snapshot.Job.Steps;

/// <summary>
/// Applies one step's masks table by table, each table in one transaction that also records it in
/// snapshot_job.completed_units. A crash or a lost connection in the middle therefore leaves every table either fully
/// masked and recorded, or untouched; the next attempt skips the recorded ones. That matters because the keyed masks
/// are not idempotent: masking an already masked email again would give a different pseudonym.
/// </summary>
internal static partial class TableMasking
{
    public static async Task<StepResult> RunAsync(StepContext context, ISnapshotStep step, MaskStep masks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(step);
        await context.Retry.ExecuteAsync("create masking functions", token => CreateFunctionsAsync(context.Work.DataSource, token), cancellationToken);

        var tables = new List<TableRows>();
        foreach (var rule in context.Rules.Tables.Where(rule => !rule.Truncate && rule.ColumnsFor(masks).Any()))
        {
            using var activity = context.StartTableActivity(step, rule.Table);
            var columns = rule.ColumnsFor(masks).ToList();
            activity?.SetTag("snapshot.columns", string.Join(",", columns.Select(column => column.Column)));
            var statement = MaskingStatement.For(rule.Table, columns, context.ColumnTypes(rule.Table), context.Run.Key);
            var unit = rule.Table.ToString();

            var (rows, earlier) = await context.Retry.ExecuteAsync($"{step.Name} {unit}", async token =>
            {
                await using var connection = await context.Work.DataSource.OpenConnectionAsync(token);
                await using var transaction = await connection.BeginTransactionAsync(token);
                if (await RunState.FindUnitAsync(transaction, step.Number, unit, token) is { } done)
                {
                    return (done, true);
                }

                await using var update = statement.CreateCommand(connection, transaction);
                var affected = await update.ExecuteNonQueryAsync(token);
                await RunState.RecordUnitAsync(transaction, step.Number, unit, affected, token);
                await transaction.CommitAsync(token);
                return ((long)affected, false);
            }, cancellationToken);

            activity?.SetTag("snapshot.rows", rows);
            activity?.SetTag("snapshot.resumed", earlier);
            if (earlier)
            {
                LogUnitDoneEarlier(context.Logger, step.Name, unit, rows);
            }
            else
            {
                LogUnitDone(context.Logger, step.Name, unit, rows);
            }

            tables.Add(new TableRows(rule.Table, rows));
            context.Hooks.Reached(TestHooks.InStep(step.Number));
        }

        return new StepResult(tables);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Step} {Table}: {Rows} rows masked")]
    private static partial void LogUnitDone(ILogger logger, string step, string table, long rows);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Step} {Table}: already masked by an earlier attempt ({Rows} rows)")]
    private static partial void LogUnitDoneEarlier(ILogger logger, string step, string table, long rows);

    private static async Task CreateFunctionsAsync(NpgsqlDataSource work, CancellationToken cancellationToken)
    {
        await using var connection = await work.OpenConnectionAsync(cancellationToken);
        await using var create = new NpgsqlCommand(SqlText.Load("Masking/masking_functions.sql"), connection);
        await create.ExecuteNonQueryAsync(cancellationToken);
    }
}
