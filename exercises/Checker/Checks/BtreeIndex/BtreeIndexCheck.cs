using Lab.Checker.Sql;
using Lab.Checker.Verification;
using Npgsql;

namespace Lab.Checker.Checks.BtreeIndex;

/// <summary>
/// 01: "the 50 most recent events of one actor". Passes when the plan uses a B-tree whose leading columns serve the
/// equality and then the order (no Sort, no full scan) on both datasets, and the query got at least 20x faster.
/// </summary>
public sealed class BtreeIndexCheck : IExerciseCheck
{
    private const string LearnerFile = "index.sql";
    private const string QueryFile = "Checks/BtreeIndex/recent_events.sql";
    private const string Table = "audit_events";
    private const double RequiredSpeedup = 20;
    private const int Runs = 5;

    public static readonly SqlScenario Visible = new(
        new Dataset("lab01", "the audit log (1,000,000 events of 5,000 actors)", "Checks/BtreeIndex/audit_events.sql", new Dictionary<string, object>
        {
            ["rows"] = 1_000_000,
            ["start"] = "2023-01-01 00:00:00+00",
            ["step"] = "63 seconds",
            ["seed"] = 101,
            ["actor"] = "(1 + h1 % 5000)::int",
        }),
        "actor 4242",
        new Dictionary<string, object> { ["actor"] = 4242 });

    public static readonly SqlScenario Hidden = new(
        new Dataset("lab01_hidden", "a second audit log, skewed: a few actors write most events, actor 2 about 40,000 of them", "Checks/BtreeIndex/audit_events.sql", new Dictionary<string, object>
        {
            ["rows"] = 1_000_000,
            ["start"] = "2025-03-01 00:00:00+00",
            ["step"] = "16 seconds",
            ["seed"] = 202,
            ["actor"] = "greatest(1, floor(exp((h1 % 1000000) / 1000000.0 * ln(20000))))::int",
        }),
        "actor 2",
        new Dictionary<string, object> { ["actor"] = 2 });

    public string Id => "btree-index";

    public async Task<CheckResult> VerifyAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var (sql, file, failure) = await LearnerSqlPreparation.PrepareAsync(
            context, LearnerFile, Visible, Hidden, () => ResetAsync(context, cancellationToken), cancellationToken);
        if (failure is not null)
        {
            return CheckResult.Fail(failure);
        }

        var report = new Report();
        var first = await RunScenarioAsync(context, Visible, sql, file, cancellationToken);
        if (first.Failure is not null)
        {
            return CheckResult.Fail(report.Append(first.Failure));
        }

        var speedup = first.BeforeMs / first.AfterMs;
        if (speedup < RequiredSpeedup)
        {
            report.Failure($"The plan is right, but the query is only {PlanText.Ratio(speedup)} faster ({RequiredSpeedup}x needed).")
                .Line($"  Before: {PlanText.Milliseconds(first.BeforeMs)}, after: {PlanText.Milliseconds(first.AfterMs)} (median of {Runs} warm runs).")
                .Line("  A busy machine can blur timings: run the check again. If it stays slow, look at the plan below.")
                .Evidence(PlanText.Lines(first.After!));
            return CheckResult.Fail(report);
        }

        context.Status("Running your file against the second dataset...");
        var second = await RunScenarioAsync(context, Hidden, sql, file, cancellationToken);
        if (second.Failure is not null)
        {
            report.Failure("Your index works on the first dataset, but not on the second one.")
                .Line($"  The checker also runs your file on {Hidden.Dataset.Description};")
                .Line($"  there the query asks for {Hidden.Label}.")
                .Line("  An index has to serve the query for every actor, not only for the one in the story.")
                .Blank()
                .Append(second.Failure);
            return CheckResult.Fail(report);
        }

        report.Success($"Your index {first.UsedIndex!.Describe()} serves both the filter and the order.")
            .Line($"  PostgreSQL jumps to {Visible.Label}'s entries and reads the newest 50 in order: no full scan, no Sort.")
            .Blank()
            .Line($"Before, without your index ({Visible.Label}):")
            .Evidence(PlanText.Lines(first.Before))
            .Line($"    median of {Runs} warm runs: {PlanText.Milliseconds(first.BeforeMs)}")
            .Line("After:")
            .Evidence(PlanText.Lines(first.After!))
            .Line($"    median of {Runs} warm runs: {PlanText.Milliseconds(first.AfterMs)}")
            .Success($"{PlanText.Ratio(speedup)} faster ({RequiredSpeedup}x needed).")
            .Success($"Second dataset, {Hidden.Label} of a skewed log: {second.After!.Scans.First().DisplayType}, no Sort, " +
                $"{PlanText.Milliseconds(second.AfterMs)} instead of {PlanText.Milliseconds(second.BeforeMs)}.")
            .Blank()
            .Line("What you learned: a B-tree keeps its keys sorted. With actor_id first, one actor's entries sit side by")
            .Line("side, already ordered by occurred_at, so PostgreSQL reads 50 entries and stops. It can walk an index")
            .Line("backward, so ASC or DESC on occurred_at both serve ORDER BY occurred_at DESC.")
            .Line("Read more: https://www.postgresql.org/docs/current/indexes-ordering.html");
        return CheckResult.Pass(report);
    }

    public async Task<string> ResetAsync(CheckContext context, CancellationToken cancellationToken)
    {
        await using var connection = await context.Infrastructure.LabDb.OpenConnectionAsync(cancellationToken);
        foreach (var scenario in new[] { Visible, Hidden })
        {
            if (await SchemaReset.ExistsAsync(connection, scenario.Schema, cancellationToken))
            {
                await SchemaReset.KeepOnlyAsync(connection, scenario.Schema, [Table], cancellationToken);
            }
        }

        return "Your indexes are gone from audit_events (schemas lab01, lab01_hidden); the generated data stays.";
    }

    private static async Task<ScenarioRun> RunScenarioAsync(
        CheckContext context, SqlScenario scenario, string sql, string file, CancellationToken cancellationToken)
    {
        var query = scenario.Query(QueryFile);
        await using var connection = await scenario.OpenAsync(context.Infrastructure, cancellationToken);
        var before = await Explain.AnalyzeAsync(connection, query, cancellationToken);
        var beforeMs = await Explain.MedianMillisecondsAsync(connection, query, Runs, cancellationToken);

        var run = await LearnerSql.RunAsync(context.Infrastructure, file, sql, scenario.Schema, cancellationToken);
        if (!run.Succeeded)
        {
            return ScenarioRun.Failed(new Report().Failure($"{file} did not run:").Evidence([run.Error!], 2));
        }

        if (run.Statements == 0)
        {
            return ScenarioRun.Failed(new Report()
                .Failure($"{file} has no statement yet.")
                .Line($"  Today PostgreSQL reads the whole table to find {scenario.Label}'s events, then sorts them:")
                .Evidence(PlanText.Lines(before))
                .Line($"    median of {Runs} warm runs: {PlanText.Milliseconds(beforeMs)}")
                .Line($"  Write a CREATE INDEX in {file} that lets PostgreSQL find one actor's events already in time order."));
        }

        var indexes = (await IndexInfo.ListAsync(connection, scenario.Schema, Table, cancellationToken)).Where(index => !index.IsPrimary).ToList();
        var after = await Explain.AnalyzeAsync(connection, query, cancellationToken);
        var problem = Judge(after, indexes, scenario, file);
        if (problem is not null)
        {
            return ScenarioRun.Failed(problem.Evidence(PlanText.Lines(after, buffers: true)));
        }

        var afterMs = await Explain.MedianMillisecondsAsync(connection, query, Runs, cancellationToken);
        var used = indexes.First(index => index.Name == after.Scans.First().IndexName);
        return new ScenarioRun(before, beforeMs, after, afterMs, used, null);
    }

    /// <summary>Why the plan is not the one the exercise asks for, in the learner's terms; null when it is.</summary>
    private static Report? Judge(ExplainResult plan, List<IndexInfo> indexes, SqlScenario scenario, string file)
    {
        var report = new Report();
        if (indexes.Count == 0)
        {
            return report.Failure($"{file} ran, but audit_events has no index of yours.")
                .Line("  Create the index on audit_events (without a schema name), then run the check again.")
                .Line("  The plan is still a full scan followed by a Sort:");
        }

        var scan = plan.Scans.FirstOrDefault();
        var indexName = plan.Nodes.Select(node => node.IndexName).FirstOrDefault(name => name is not null);
        var used = indexes.FirstOrDefault(index => index.Name == indexName);
        if (used is null)
        {
            report.Failure($"PostgreSQL did not use your {(indexes.Count == 1 ? "index" : "indexes")} for {scenario.Label}: it reads the whole table.");
            foreach (var index in indexes)
            {
                report.Line($"  {index.Describe()}: {WhyUnused(index)}");
            }

            return report.Line("  The plan:");
        }

        if (!used.IsBtree)
        {
            return report.Failure($"{used.Describe()} is a {used.Method} index: it finds {scenario.Label}'s rows, but keeps them in no order,")
                .Line("  so PostgreSQL fetches every one of them and sorts (the Sort node below). Only a B-tree keeps its keys")
                .Line("  in order, which is what lets a query stop after 50 rows.");
        }

        // A partial index WHERE actor_id = 4242 serves that one actor as well as a leading actor_id would.
        var equalityInPredicate = used.Predicate?.Contains("actor_id =", StringComparison.Ordinal) == true;
        if (used.LeadingColumn != "actor_id" && !equalityInPredicate)
        {
            var read = scan?.SharedBuffers ?? 0;
            return report.Failure($"{used.Describe()} starts with {used.LeadingColumn}, so one actor's entries are spread all over it.")
                .Line($"  PostgreSQL walks it from the newest event backward and skips other actors' rows until it has 50")
                .Line($"  ({PlanText.Count(read)} pages read for 50 rows). That is fast only while the actor was active lately.")
                .Line("  Put the column compared with = first (actor_id), then the one you order by (occurred_at).");
        }

        if (plan.HasSort)
        {
            var sort = plan.Nodes.First(node => node.NodeType is "Sort" or "Incremental Sort");
            var after = used.SecondColumn is null or "occurred_at"
                ? string.Empty
                : $": after actor_id it is ordered by {used.SecondColumn}";
            return report.Failure($"{used.Describe()} finds {scenario.Label}'s rows, but not in time order{after}.")
                .Line($"  So PostgreSQL fetches all {PlanText.Count(sort.Children.Count > 0 ? sort.Children[0].ActualRows : 0)} of them and sorts them to keep 50 (the Sort node below).")
                .Line("  Put occurred_at right after actor_id, so the index hands them over already in order.");
        }

        return null;
    }

    private static string WhyUnused(IndexInfo index) => index switch
    {
        { Predicate: not null } => $"a partial index, it holds only the rows WHERE {index.Predicate}.",
        { IsBtree: false } => $"a {index.Method} index keeps no order, so it cannot hand over the newest 50 without a sort.",
        { LeadingColumn: not "actor_id" } => $"it starts with {index.LeadingColumn}, so it cannot jump to one actor's entries.",
        _ => "the planner estimated that a full scan costs less.",
    };

    private sealed record ScenarioRun(ExplainResult Before, double BeforeMs, ExplainResult? After, double AfterMs, IndexInfo? UsedIndex, Report? Failure)
    {
        public static ScenarioRun Failed(Report failure) => new(null!, 0, null, 0, null, failure);
    }
}
