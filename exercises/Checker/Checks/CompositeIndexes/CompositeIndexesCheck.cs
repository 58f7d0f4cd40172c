using Lab.Checker.Sql;
using Lab.Checker.Verification;
using Npgsql;

namespace Lab.Checker.Checks.CompositeIndexes;

/// <summary>
/// 02: three tasks on a support-desk table, judged from EXPLAIN (ANALYZE, BUFFERS): column order for
/// equality-then-range, an index-only scan with few heap fetches, a partial index for the open tickets.
/// </summary>
public sealed class CompositeIndexesCheck : IExerciseCheck
{
    private const string LearnerFile = "indexes.sql";
    private const string Table = "tickets";
    private const int Runs = 3;

    public static readonly SqlScenario Visible = new(
        new Dataset("lab02", "the support desk (1,000,000 tickets of 200 tenants)", "Checks/CompositeIndexes/tickets.sql", new Dictionary<string, object>
        {
            ["rows"] = 1_000_000,
            ["start"] = "2023-01-01 00:00:00+00",
            ["step"] = "63 seconds",
            ["seed"] = 102,
            ["tenant"] = "(1 + h1 % 200)::int",
            ["open_per_mille"] = 2,
        }),
        "tenant 42",
        new Dictionary<string, object> { ["tenant"] = 42, ["week"] = "2024-03-04 00:00:00+00", ["quarter"] = "2024-01-01 00:00:00+00" });

    public static readonly SqlScenario Hidden = new(
        new Dataset("lab02_hidden", "a second support desk, skewed: a few tenants own most tickets, and 1 in 100 is open", "Checks/CompositeIndexes/tickets.sql", new Dictionary<string, object>
        {
            ["rows"] = 1_000_000,
            ["start"] = "2022-06-01 00:00:00+00",
            ["step"] = "95 seconds",
            ["seed"] = 202,
            ["tenant"] = "greatest(1, floor(exp((h1 % 1000000) / 1000000.0 * ln(60))))::int",
            ["open_per_mille"] = 10,
        }),
        "tenant 3",
        new Dictionary<string, object> { ["tenant"] = 3, ["week"] = "2023-09-11 00:00:00+00", ["quarter"] = "2024-04-01 00:00:00+00" });

    private static readonly TicketTask[] s_tasks =
    [
        new(1, "a tenant's tickets of one week", "Checks/CompositeIndexes/tenant_week.sql", JudgeColumnOrder),
        new(2, "the dashboard count per priority", "Checks/CompositeIndexes/dashboard_count.sql", JudgeIndexOnly),
        new(3, "the queue of open tickets", "Checks/CompositeIndexes/open_queue.sql", JudgePartial),
    ];

    public string Id => "composite-covering-partial";

    public async Task<CheckResult> VerifyAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var (sql, file, failure) = await LearnerSqlPreparation.PrepareAsync(
            context, LearnerFile, Visible, Hidden, () => ResetAsync(context, cancellationToken), cancellationToken);
        if (failure is not null)
        {
            return CheckResult.Fail(failure);
        }

        var first = await RunScenarioAsync(context, Visible, sql, file, cancellationToken);
        var report = new Report();
        if (first.Failure is not null)
        {
            return CheckResult.Fail(report.Append(first.Failure));
        }

        if (first.Outcomes.Any(outcome => outcome.Problem is not null))
        {
            WriteTasks(report, first);
            return CheckResult.Fail(report);
        }

        context.Status("Running your file against the second dataset...");
        var second = await RunScenarioAsync(context, Hidden, sql, file, cancellationToken);
        if (second.Failure is not null || second.Outcomes.Any(outcome => outcome.Problem is not null))
        {
            report.Failure("Your indexes work on the first dataset, but not on the second one.")
                .Line($"  The checker also runs your file on {Hidden.Dataset.Description};")
                .Line($"  there the queries ask for {Hidden.Label} and other dates. Indexes have to serve every tenant and every range.")
                .Blank();
            if (second.Failure is not null)
            {
                report.Append(second.Failure);
            }
            else
            {
                WriteTasks(report, second);
            }

            return CheckResult.Fail(report);
        }

        report.Success("All three tasks pass, on both datasets.").Blank();
        WriteTasks(report, first);
        report.Blank()
            .Line("What you learned: an index seeks on its leading equality columns, then scans one range; columns it")
            .Line("INCLUDEs answer a query without the table once VACUUM has marked the pages all-visible; and a WHERE")
            .Line("clause keeps an index to the few rows a hot query reads.")
            .Line("Read more: https://www.postgresql.org/docs/current/indexes-multicolumn.html,")
            .Line("  https://www.postgresql.org/docs/current/indexes-index-only-scans.html,")
            .Line("  https://www.postgresql.org/docs/current/indexes-partial.html");
        return CheckResult.Pass(report);
    }

    public async Task<string> ResetAsync(CheckContext context, CancellationToken cancellationToken)
    {
        await using var connection = await context.Infrastructure.LabDb.OpenConnectionAsync(cancellationToken);
        var visibility = await VisibilityMap.AvailableAsync(connection, cancellationToken);
        foreach (var scenario in new[] { Visible, Hidden })
        {
            if (await SchemaReset.ExistsAsync(connection, scenario.Schema, cancellationToken))
            {
                await SchemaReset.KeepOnlyAsync(connection, scenario.Schema, [Table], cancellationToken);
                await VisibilityMap.ForgetAsync(connection, $"{scenario.Schema}.{Table}", visibility, cancellationToken);
            }
        }

        return "Your indexes are gone from tickets and its visibility map is empty again (schemas lab02, lab02_hidden); the generated data stays.";
    }

    private static void WriteTasks(Report report, ScenarioRun run)
    {
        foreach (var outcome in run.Outcomes)
        {
            var task = outcome.Task;
            if (outcome.Problem is null)
            {
                report.Success($"Task {task.Number}, {task.Title}: {outcome.Praise}")
                    .Line($"    before: {Summary(outcome.Before, outcome.BeforeMs)}", 0)
                    .Line($"    after:  {Summary(outcome.After, outcome.AfterMs)}", 0);
            }
            else
            {
                report.Failure($"Task {task.Number}, {task.Title}: {outcome.Problem}");
                foreach (var line in outcome.Advice)
                {
                    report.Line($"  {line}");
                }

                report.Evidence(PlanText.Lines(outcome.After, buffers: true));
            }
        }
    }

    private static string Summary(ExplainResult plan, double milliseconds)
    {
        var scan = plan.Scans.FirstOrDefault(node => node.ReadsTable) ?? plan.Root;
        var name = scan.IndexName is null ? scan.DisplayType : $"{scan.DisplayType} using {scan.IndexName}";
        var fetches = scan.NodeType == "Index Only Scan" ? $", heap fetches {PlanText.Count(scan.Count("Heap Fetches"))}" : string.Empty;
        return $"{name}, {PlanText.Count(plan.Root.SharedBuffers)} buffers{fetches}, {PlanText.Milliseconds(milliseconds)}";
    }

    private static async Task<ScenarioRun> RunScenarioAsync(
        CheckContext context, SqlScenario scenario, string sql, string file, CancellationToken cancellationToken)
    {
        await using var connection = await scenario.OpenAsync(context.Infrastructure, cancellationToken);
        var before = new List<(ExplainResult Plan, double Ms)>();
        foreach (var task in s_tasks)
        {
            var query = scenario.Query(task.QueryFile);
            before.Add((await Explain.AnalyzeAsync(connection, query, cancellationToken), await Explain.MedianMillisecondsAsync(connection, query, Runs, cancellationToken)));
        }

        var run = await LearnerSql.RunAsync(context.Infrastructure, file, sql, scenario.Schema, cancellationToken);
        if (!run.Succeeded)
        {
            return new ScenarioRun([], new Report().Failure($"{file} did not run:").Evidence([run.Error!], 2));
        }

        if (run.Statements == 0)
        {
            var empty = new Report().Failure($"{file} has no statement yet. Today the three queries run like this:");
            for (var i = 0; i < s_tasks.Length; i++)
            {
                empty.Line($"  Task {s_tasks[i].Number}, {s_tasks[i].Title}: {Summary(before[i].Plan, before[i].Ms)}");
            }

            return new ScenarioRun([], empty.Line($"  The README describes each task; write the statements in {file}."));
        }

        var indexes = (await IndexInfo.ListAsync(connection, scenario.Schema, Table, cancellationToken)).Where(index => !index.IsPrimary).ToList();
        var facts = new ScenarioFacts(await CountAsync(connection, scenario.Query("Checks/CompositeIndexes/week_rows.sql"), cancellationToken));
        var outcomes = new List<TaskOutcome>();
        for (var i = 0; i < s_tasks.Length; i++)
        {
            var task = s_tasks[i];
            var query = scenario.Query(task.QueryFile);
            var after = await Explain.AnalyzeAsync(connection, query, cancellationToken);
            var verdict = task.Judge(after, indexes, scenario, facts);
            var afterMs = verdict.Problem is null ? await Explain.MedianMillisecondsAsync(connection, query, Runs, cancellationToken) : after.ExecutionMilliseconds;
            outcomes.Add(new TaskOutcome(task, before[i].Plan, before[i].Ms, after, afterMs, verdict.Problem, verdict.Advice, verdict.Praise));
        }

        return new ScenarioRun(outcomes, null);
    }

    /// <summary>Task 1: the index must seek on tenant_id and scan created_at as a range: (tenant_id, created_at, ...).</summary>
    private static TaskVerdict JudgeColumnOrder(ExplainResult plan, List<IndexInfo> indexes, SqlScenario scenario, ScenarioFacts facts)
    {
        var (scan, used) = UsedIndex(plan, indexes);
        if (used is null)
        {
            return TaskVerdict.Fail(
                $"PostgreSQL reads the whole table to find {scenario.Label}'s tickets of one week.",
                "An index on the two columns of the WHERE clause lets it go straight to them; the order of the columns matters.");
        }

        // A partial index WHERE tenant_id = 42 serves that tenant as a leading tenant_id would (the second dataset disagrees).
        var tenantInPredicate = used.Predicate?.Contains("tenant_id =", StringComparison.Ordinal) == true;
        if (tenantInPredicate && used.LeadingColumn == "created_at")
        {
            return TaskVerdict.Pass($"{scan!.DisplayType} on {used.Describe()}.");
        }

        if (used.LeadingColumn == "created_at")
        {
            return TaskVerdict.Fail(
                $"{used.Describe()} starts with the range column.",
                $"So PostgreSQL walks the entries of every tenant for that week ({PlanText.Count(facts.WeekRows)} of them) to keep {scenario.Label}'s",
                $"{PlanText.Count(scan!.ActualRows)}. Put the column compared with = first, then the range column: the index then holds",
                "each tenant's tickets side by side, in date order, and the scan reads only the ones it returns.");
        }

        if (used.LeadingColumn != "tenant_id" || used.SecondColumn != "created_at")
        {
            var removed = plan.Nodes.Sum(node => node.TotalOverLoops("Rows Removed by Filter") + node.TotalOverLoops("Rows Removed by Index Recheck"));
            return TaskVerdict.Fail(
                $"{used.Describe()} does not bound the date range.",
                $"PostgreSQL finds candidates with it, then throws away {PlanText.Count(removed)} rows outside the week (Filter below).",
                "An index (tenant_id, created_at) seeks to the tenant and reads only that week's entries.");
        }

        return TaskVerdict.Pass($"{scan!.DisplayType} on {used.Describe()}.");
    }

    /// <summary>Task 2: an Index Only Scan that hardly visits the table (the visibility map is set).</summary>
    private static TaskVerdict JudgeIndexOnly(ExplainResult plan, List<IndexInfo> indexes, SqlScenario scenario, ScenarioFacts facts)
    {
        var (scan, used) = UsedIndex(plan, indexes);
        var covering = indexes.FirstOrDefault(index =>
            index.LeadingColumn == "tenant_id" && index.Contains("created_at") && index.Contains("priority") && index.Predicate is null);
        if (scan is { NodeType: "Index Only Scan" } && used is not null)
        {
            var rows = scan.ActualRows;
            var fetches = scan.Count("Heap Fetches");
            if (fetches > Math.Max(10, rows / 100))
            {
                return TaskVerdict.Fail(
                    $"an Index Only Scan, but it still visited the table {PlanText.Count(fetches)} times for {PlanText.Count(rows)} rows (Heap Fetches).",
                    "An index holds no visibility information: the scan may skip the table only for pages the visibility map marks",
                    "all-visible, and VACUUM is what sets those marks. Add VACUUM tickets to your file, after the CREATE INDEX.",
                    "(Autovacuum would do it eventually; the checker turned it off for this table so you can see the difference.)");
            }

            return TaskVerdict.Pass($"Index Only Scan on {used.Describe()}, {PlanText.Count(fetches)} heap fetches.");
        }

        if (covering is not null)
        {
            return TaskVerdict.Fail(
                $"{covering.Describe()} holds every column the query needs, but the plan is not an Index Only Scan.",
                "The planner expects to visit the table for most rows: the visibility map is empty, so it cannot know which",
                "pages hold only rows every transaction can see. VACUUM tickets sets those marks; add it after the CREATE INDEX.");
        }

        if (used is not null)
        {
            return TaskVerdict.Fail(
                $"{used.Describe()} finds the rows, but the count still reads each of them from the table ({PlanText.Count(plan.Root.SharedBuffers)} buffers).",
                "The query needs tenant_id, created_at and priority. An index that also holds priority (INCLUDE stores a column",
                "without sorting by it) can answer it alone: an Index Only Scan.");
        }

        return TaskVerdict.Fail(
            $"PostgreSQL reads the whole table to count {scenario.Label}'s tickets of the quarter.",
            "An index on (tenant_id, created_at) that also INCLUDEs priority can answer this query alone.");
    }

    /// <summary>Task 3: a partial index (WHERE status = 'open') that also hands the rows over in created_at order.</summary>
    private static TaskVerdict JudgePartial(ExplainResult plan, List<IndexInfo> indexes, SqlScenario scenario, ScenarioFacts facts)
    {
        var (scan, used) = UsedIndex(plan, indexes);
        if (used is null)
        {
            return TaskVerdict.Fail(
                "PostgreSQL reads the whole table to find the few open tickets, then sorts them.",
                "An index that holds only the open tickets, in created_at order, answers this from a few pages.");
        }

        var partial = used.Predicate is not null
            && used.Predicate.Contains("status", StringComparison.Ordinal)
            && used.Predicate.Contains("'open'", StringComparison.Ordinal);
        if (!partial)
        {
            return TaskVerdict.Fail(
                $"{used.Describe()} works, but it holds all {PlanText.Count(used.Entries)} tickets ({PlanText.Bytes(used.SizeBytes)}) to serve the open ones.",
                "Nearly every ticket is solved, and solved tickets pile up. A partial index, CREATE INDEX ... WHERE status = 'open',",
                "holds only the open tickets: a few pages, cheap to keep up to date.");
        }

        if (plan.HasSort)
        {
            return TaskVerdict.Fail(
                $"{used.Describe()} finds the open tickets, but the plan still sorts them.",
                "The queue is read oldest first: make created_at the indexed column, so the index hands them over in order.");
        }

        return TaskVerdict.Pass($"{scan!.DisplayType} on {used.Describe()}: {PlanText.Count(used.Entries)} entries, {PlanText.Bytes(used.SizeBytes)}.");
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static (PlanNode? Scan, IndexInfo? Index) UsedIndex(ExplainResult plan, List<IndexInfo> indexes)
    {
        var scan = plan.Nodes.FirstOrDefault(node => node.IndexName is not null && indexes.Any(index => index.Name == node.IndexName));
        return scan is null ? (null, null) : (scan, indexes.First(index => index.Name == scan.IndexName));
    }

    private sealed record TicketTask(int Number, string Title, string QueryFile, Func<ExplainResult, List<IndexInfo>, SqlScenario, ScenarioFacts, TaskVerdict> Judge);

    /// <summary>Counts that make the evidence concrete: how many entries a badly ordered index walks.</summary>
    private sealed record ScenarioFacts(long WeekRows);

    private sealed record TaskVerdict(string? Problem, IReadOnlyList<string> Advice, string Praise)
    {
        public static TaskVerdict Pass(string praise) => new(null, [], praise);

        public static TaskVerdict Fail(string problem, params string[] advice) => new(problem, advice, string.Empty);
    }

    private sealed record TaskOutcome(
        TicketTask Task, ExplainResult Before, double BeforeMs, ExplainResult After, double AfterMs, string? Problem, IReadOnlyList<string> Advice, string Praise);

    private sealed record ScenarioRun(IReadOnlyList<TaskOutcome> Outcomes, Report? Failure);
}
