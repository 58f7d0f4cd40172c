using Lab.Checker.Sql;
using Lab.Checker.Verification;
using Npgsql;

namespace Lab.Checker.Checks.BtreeIndex;

/// <summary>
/// 01: "the 50 most recent events of one actor". Judges the index against the query's shape (WHERE actor_id = ?
/// ORDER BY occurred_at DESC LIMIT 50): a B-tree on actor_id, then occurred_at in an order the query can read, holding
/// every actor's events. Then proves it with plans, on both datasets, for the story's actor and for actors drawn at
/// random for this run (no Sort, no full scan), and asks the query to get at least 20x faster.
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
        }) { LearnerRunsHere = true },
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
        }) { LearnerRunsHere = true },
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

        // Both datasets at once: two cores do the two CREATE INDEX side by side.
        context.Status("Running your file on both datasets, then the query for the story's actor and for actors drawn at random...");
        var runs = await Task.WhenAll(
            RunScenarioAsync(context, Visible, sql, file, cancellationToken),
            RunScenarioAsync(context, Hidden, sql, file, cancellationToken));
        var (first, second) = (runs[0], runs[1]);
        var report = new Report();
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
            .Success("The same plan for other actors drawn at random for this run, busy and quiet ones, on both datasets.")
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
        var probeActors = await DrawActorsAsync(connection, scenario, cancellationToken);

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

        if (await TableProblemAsync(connection, scenario, file, cancellationToken) is { } tableProblem)
        {
            return ScenarioRun.Failed(tableProblem);
        }

        var indexes = (await IndexInfo.ListAsync(connection, scenario.Schema, Table, cancellationToken)).Where(index => !index.IsPrimary).ToList();
        var after = await Explain.AnalyzeAsync(connection, query, cancellationToken);
        var problem = await JudgeAsync(connection, after, indexes, scenario, file, cancellationToken);
        if (problem is not null)
        {
            return ScenarioRun.Failed(problem.Evidence(PlanText.Lines(after, buffers: true)));
        }

        var used = indexes.First(index => index.Name == after.Scans.First().IndexName);
        var probes = new List<ExplainResult>();
        foreach (var actor in probeActors)
        {
            var probeQuery = SqlResources.Read(QueryFile, new Dictionary<string, object> { ["actor"] = actor });
            var plan = await Explain.AnalyzeAsync(connection, probeQuery, cancellationToken);
            var probeProblem = await JudgeAsync(connection, plan, indexes, scenario with { Label = $"actor {actor}" }, file, cancellationToken);
            if (probeProblem is not null)
            {
                return ScenarioRun.Failed(new Report()
                    .Failure($"Your index serves {scenario.Label}, but not actor {actor}, one of the actors the checker drew at random for this run.")
                    .Append(probeProblem)
                    .Evidence(PlanText.Lines(plan, buffers: true)));
            }

            probes.Add(plan);
        }

        var afterMs = await Explain.MedianMillisecondsAsync(connection, query, Runs, cancellationToken);
        return new ScenarioRun(before, beforeMs, after, afterMs, used, probes, null);
    }

    /// <summary>Three actors for this run: two drawn from the events (busy ones are likelier), one from the whole id range.</summary>
    private static async Task<List<int>> DrawActorsAsync(NpgsqlConnection connection, SqlScenario scenario, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT actor_id FROM (SELECT DISTINCT actor_id FROM audit_events TABLESAMPLE SYSTEM (0.2)) AS s WHERE actor_id <> @story ORDER BY random() LIMIT 2",
            connection);
        command.Parameters.AddWithValue("story", (int)scenario.QueryValues["actor"]);
        var actors = new List<int>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                actors.Add(reader.GetInt32(0));
            }
        }

        var highest = scenario == Visible ? 5000 : 20000;
        actors.Add(Random.Shared.Next(3, highest + 1));
        return actors.Distinct().ToList();
    }

    /// <summary>The file dropped or replaced audit_events: say what is there now, and have the data generated again.</summary>
    private static async Task<Report?> TableProblemAsync(NpgsqlConnection connection, SqlScenario scenario, string file, CancellationToken cancellationToken)
    {
        if ((await scenario.Dataset.ReplacedTablesAsync(connection, cancellationToken)).Count == 0)
        {
            return null;
        }

        var now = await SchemaInventory.FindAsync(connection, scenario.Schema, Table, cancellationToken);
        await scenario.Dataset.ForgetAsync(connection, cancellationToken);
        var report = new Report().Failure(now switch
        {
            null => $"After {file}, there is no audit_events any more: your file dropped or renamed the table.",
            { Kind: 'r' } => $"After {file}, audit_events is a new, empty or different table: your file dropped the generated one and created another.",
            _ => $"After {file}, audit_events is {now.KindWithArticle}, not the table it was: your file replaced the table.",
        });
        return report
            .Line("  The exercise only adds an index: the table and its million events stay as they are.")
            .Line("  The checker generates the data again on the next verify (about 15 s).");
    }

    /// <summary>Why the index or the plan does not serve the query's shape, in the learner's terms; null when it does.</summary>
    private static async Task<Report?> JudgeAsync(
        NpgsqlConnection connection, ExplainResult plan, List<IndexInfo> indexes, SqlScenario scenario, string file, CancellationToken cancellationToken)
    {
        var report = new Report();
        if (indexes.Count == 0)
        {
            var created = await SchemaInventory.DescribeAsync(connection, $"^{scenario.Schema}$", 6, cancellationToken);
            var others = created.Where(line => !line.StartsWith($"{scenario.Schema}.{Table}:", StringComparison.Ordinal)).ToList();
            report.Failure($"{file} ran, but audit_events has no index of yours.");
            if (others.Count > 0)
            {
                report.Line("  It created other things instead:").Evidence(others, 4);
            }

            return report.Line("  Create the index on audit_events (without a schema name), then run the check again.")
                .Line("  The plan is still a full scan followed by a Sort:");
        }

        var indexName = plan.Nodes.Select(node => node.IndexName).FirstOrDefault(name => name is not null);
        var used = indexes.FirstOrDefault(index => index.Name == indexName);
        if (used is null)
        {
            report.Failure($"PostgreSQL did not use your {(indexes.Count == 1 ? "index" : "indexes")} for {scenario.Label}: it reads the whole table.");
            foreach (var index in indexes)
            {
                report.Line($"  {index.Describe()}: {await WhyUnusedAsync(connection, index, cancellationToken)}");
            }

            return report.Line("  The plan:");
        }

        if (!used.IsBtree)
        {
            return report.Failure($"{used.Describe()} is a {used.Method} index: it finds {scenario.Label}'s rows, but keeps them in no order,")
                .Line("  so PostgreSQL fetches every one of them and sorts (the Sort node below). Only a B-tree keeps its keys")
                .Line("  in order, which is what lets a query stop after 50 rows.");
        }

        // An index for some actors only (WHERE actor_id = 4242, or IN (...)) serves exactly those: judge what it holds.
        var leftOut = await used.RowsLeftOutAsync(connection, Table, cancellationToken);
        if (leftOut > 0)
        {
            return report.Failure($"{used.Describe()} leaves out {PlanText.Count(leftOut)} of the table's events (its WHERE clause).")
                .Line($"  It serves {scenario.Label}, and no actor it leaves out: the page asks for whichever actor support looks up.")
                .Line("  Drop the WHERE clause, and index actor_id first, then occurred_at: (actor_id, occurred_at).");
        }

        if (!used.IsPlainColumn(0))
        {
            return report.Failure($"{used.Describe()} indexes the expression {used.LeadingColumn}, not the column actor_id.")
                .Line("  The query compares actor_id itself, so PostgreSQL can use the index only as a list of all entries.")
                .Line("  Index the plain columns: (actor_id, occurred_at).");
        }

        if (used.LeadingColumn != "actor_id")
        {
            var read = plan.Scans.FirstOrDefault()?.SharedBuffers ?? 0;
            return report.Failure($"{used.Describe()} starts with {used.LeadingColumn}, so one actor's entries are spread all over it.")
                .Line($"  PostgreSQL walks it from the newest event backward and skips other actors' rows until it has 50")
                .Line($"  ({PlanText.Count(read)} pages read for 50 rows). That is fast only while the actor was active lately.")
                .Line("  Put the column compared with = first (actor_id), then the one you order by (occurred_at).");
        }

        if (plan.HasSort)
        {
            var sort = plan.Nodes.First(node => node.NodeType is "Sort" or "Incremental Sort");
            var sorted = PlanText.Count(sort.Children.Count > 0 ? sort.Children[0].ActualRows : 0);
            if (used.SecondColumn == "occurred_at" && !used.ServesOrder(1, descending: true))
            {
                return report.Failure($"{used.Describe()} has occurred_at right after actor_id, but its{used.Direction(1)} order is not one the query can read.")
                    .Line("  ORDER BY occurred_at DESC means NULLS FIRST; read backward, the index gives ASC NULLS FIRST. Neither matches")
                    .Line($"  {used.Direction(1).Trim()}, so PostgreSQL fetches all {sorted} of {scenario.Label}'s rows and sorts them (the Sort below),")
                    .Line("  even though occurred_at is never NULL. Leave out the NULLS clause (or write the query's own: DESC NULLS FIRST).");
            }

            var after = used.SecondColumn is null or "occurred_at"
                ? string.Empty
                : $": after actor_id it is ordered by {used.SecondColumn}";
            return report.Failure($"{used.Describe()} finds {scenario.Label}'s rows, but not in time order{after}.")
                .Line($"  So PostgreSQL fetches all {sorted} of them and sorts them to keep 50 (the Sort node below).")
                .Line(used.SecondColumn is null
                    ? "  Add occurred_at right after actor_id, so the index hands them over already in order."
                    : "  Put occurred_at right after actor_id, so the index hands them over already in order.");
        }

        if (plan.Nodes.Any(node => node.NodeType.Contains("Seq Scan", StringComparison.Ordinal)))
        {
            return report.Failure($"For {scenario.Label} the plan still reads the whole table, beside {used.Describe()}.");
        }

        return null;
    }

    private static async Task<string> WhyUnusedAsync(NpgsqlConnection connection, IndexInfo index, CancellationToken cancellationToken)
    {
        if (index.Predicate is not null)
        {
            var leftOut = await index.RowsLeftOutAsync(connection, Table, cancellationToken);
            return leftOut > 0
                ? $"a partial index, it holds only the rows WHERE {index.Predicate} ({PlanText.Count(leftOut)} events left out)."
                : $"a partial index (WHERE {index.Predicate}): PostgreSQL cannot prove from the query that the rows it wants are in it.";
        }

        return index switch
        {
            { IsBtree: false } => $"a {index.Method} index keeps no order, so it cannot hand over the newest 50 without a sort.",
            _ when !index.IsPlainColumn(0) => $"it indexes the expression {index.LeadingColumn}, which the query does not compare.",
            { LeadingColumn: not "actor_id" } => $"it starts with {index.LeadingColumn}, so it cannot jump to one actor's entries.",
            _ => "the planner estimated that a full scan costs less.",
        };
    }

    private sealed record ScenarioRun(
        ExplainResult Before, double BeforeMs, ExplainResult? After, double AfterMs, IndexInfo? UsedIndex, IReadOnlyList<ExplainResult> Probes, Report? Failure)
    {
        public static ScenarioRun Failed(Report failure) => new(null!, 0, null, 0, null, [], failure);
    }
}
