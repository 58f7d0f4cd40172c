using Npgsql;
using Snapshot.Job.Database;
using Snapshot.Job.Masking;
using Snapshot.Job.Testing;

namespace Snapshot.Job.Steps;

/// <summary>
/// Step 1: copies the source into a new work database with <c>pg_dump | pg_restore</c>. pg_dump reads every table in
/// one transaction (a consistent snapshot of a live database, while the API keeps writing), and the rows of truncated
/// tables are left out by pg_dump itself, so they never reach the work database at all.
/// Safe to repeat: each attempt drops whatever an earlier one left and starts again.
/// </summary>
internal sealed class CopyStep : ISnapshotStep
{
    public int Number => 1;

    public string Name => "copy";

    public async Task<StepResult> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await context.Retry.ExecuteAsync("copy (pg_dump | pg_restore)", async token =>
        {
            await context.Work.DropAsync(token);
            await context.Work.CreateAsync(context.Source, token);
            using var activity = context.ActivitySource.StartActivity("pg_dump | pg_restore");
            activity?.SetTag("db.system.name", "postgresql");
            activity?.SetTag("snapshot.source", context.Source.Database);
            activity?.SetTag("snapshot.work_database", context.Work.Name);
            await context.PgTools.PipeAsync(
                context.SourceConnectionString,
                DumpArguments(context),
                context.Work.ConnectionString,
                RestoreArguments(context.Work.Name),
                token);
        }, cancellationToken);

        context.Hooks.Reached(TestHooks.InStep(Number));

        var tables = new List<TableRows>();
        foreach (var table in context.Catalog.Tables)
        {
            using var activity = context.StartTableActivity(this, table);
            var rows = await context.Retry.ExecuteAsync($"count {table}", token => CountAsync(context.Work.DataSource, table, token), cancellationToken);
            activity?.SetTag("snapshot.rows", rows);
            tables.Add(new TableRows(table, rows));
        }

        return new StepResult(tables);
    }

    private static List<string> DumpArguments(StepContext context)
    {
        var arguments = context.PgTools.Tools.DumpArguments();
        foreach (var table in context.Rules.TruncatedTables)
        {
            arguments.Add($"--exclude-table-data={table.Quoted}");
        }

        return arguments;
    }

    private static List<string> RestoreArguments(string workDatabase) =>
    [
        $"--dbname={workDatabase}",
        // Owners, grants, publications and subscriptions belong to the source's server, not to a copy.
        "--no-owner",
        "--no-acl",
        "--no-publications",
        "--no-subscriptions",
        "--exit-on-error",
    ];

    private static async Task<long> CountAsync(NpgsqlDataSource work, TableName table, CancellationToken cancellationToken)
    {
        var sql = SqlText.Load("Steps/count_rows.sql").Replace("{table}", table.Quoted, StringComparison.Ordinal);
        await using var connection = await work.OpenConnectionAsync(cancellationToken);
        await using var count = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        return (long)(await count.ExecuteScalarAsync(cancellationToken))!;
    }
}
