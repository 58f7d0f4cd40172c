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
        }) { LearnerRunsHere = true },
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
        }) { LearnerRunsHere = true },
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

        // Both datasets at once: two cores build the two sets of indexes side by side.
        context.Status("Running your file on both datasets, then the three queries (and task 1 for a tenant and week drawn at random)...");
        var runs = await Task.WhenAll(
            RunScenarioAsync(context, Visible, sql, file, cancellationToken),
            RunScenarioAsync(context, Hidden, sql, file, cancellationToken));
        var (first, second) = (runs[0], runs[1]);
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

        if ((await scenario.Dataset.ReplacedTablesAsync(connection, cancellationToken)).Count > 0)
        {
            var now = await SchemaInventory.FindAsync(connection, scenario.Schema, Table, cancellationToken);
            await scenario.Dataset.ForgetAsync(connection, cancellationToken);
            return new ScenarioRun([], new Report().Failure(now is null
                    ? $"After {file}, there is no tickets table any more: your file dropped or renamed it."
                    : now.Kind == 'r'
                        ? $"After {file}, tickets is a new, different table: your file dropped the generated one and created another."
                        : $"After {file}, tickets is {now.KindWithArticle}, not the table it was: your file replaced the table.")
                .Line("  The exercise only adds indexes (and a VACUUM): the table and its million tickets stay as they are.")
                .Line("  The checker generates the data again on the next verify (about 15 s)."));
        }

        var indexes = (await IndexInfo.ListAsync(connection, scenario.Schema, Table, cancellationToken)).Where(index => !index.IsPrimary).ToList();
        var facts = new ScenarioFacts(
            await CountAsync(connection, scenario.Query("Checks/CompositeIndexes/week_rows.sql"), cancellationToken),
            await CountAsync(connection, "SELECT count(*) FROM tickets WHERE status = 'open'", cancellationToken),
            connection,
            Vacuums.Of(sql),
            await VisibilityMap.AllVisibleAsync(connection, Table, cancellationToken));
        if (indexes.Count == 0)
        {
            var created = await SchemaInventory.DescribeAsync(connection, $"^{scenario.Schema}$", 6, cancellationToken);
            var others = created.Where(line => !line.StartsWith($"{scenario.Schema}.{Table}:", StringComparison.Ordinal)).ToList();
            var none = new Report().Failure($"{file} ran, but tickets has no index of yours.");
            if (others.Count > 0)
            {
                none.Line("  It created other things instead:").Evidence(others, 4);
            }

            return new ScenarioRun([], none.Line("  The README describes each task: each needs an index on tickets (without a schema name)."));
        }
        var outcomes = new List<TaskOutcome>();
        for (var i = 0; i < s_tasks.Length; i++)
        {
            var task = s_tasks[i];
            var query = scenario.Query(task.QueryFile);
            var after = await Explain.AnalyzeAsync(connection, query, cancellationToken);
            var verdict = await task.Judge(after, indexes, scenario, facts);
            if (verdict.Problem is null && task.Number == 1)
            {
                verdict = await ProbeTaskOneAsync(connection, indexes, scenario, facts, cancellationToken) ?? verdict;
            }

            var afterMs = verdict.Problem is null ? await Explain.MedianMillisecondsAsync(connection, query, Runs, cancellationToken) : after.ExecutionMilliseconds;
            outcomes.Add(new TaskOutcome(task, before[i].Plan, before[i].Ms, after, afterMs, verdict.Problem, verdict.Advice, verdict.Praise));
        }

        return new ScenarioRun(outcomes, null);
    }

    /// <summary>Task 1: the index must seek on tenant_id and scan created_at as a range: (tenant_id, created_at, ...).</summary>
    private static async Task<TaskVerdict> JudgeColumnOrder(ExplainResult plan, List<IndexInfo> indexes, SqlScenario scenario, ScenarioFacts facts)
    {
        var (scan, used) = UsedIndex(plan, indexes);
        if (used is null)
        {
            return TaskVerdict.Fail(
                $"PostgreSQL reads the whole table to find {scenario.Label}'s tickets of one week.",
                "An index on the two columns of the WHERE clause lets it go straight to them; the order of the columns matters.");
        }

        if (await LeftOutAsync(used, facts) is { } leftOut)
        {
            return leftOut;
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
    private static async Task<TaskVerdict> JudgeIndexOnly(ExplainResult plan, List<IndexInfo> indexes, SqlScenario scenario, ScenarioFacts facts)
    {
        var (scan, used) = UsedIndex(plan, indexes);
        if (used is not null && await LeftOutAsync(used, facts) is { } leftOut)
        {
            return leftOut;
        }

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
                    [.. VisibilityAdvice(facts)]);
            }

            return TaskVerdict.Pass($"Index Only Scan on {used.Describe()}, {PlanText.Count(fetches)} heap fetches.");
        }

        if (covering is not null)
        {
            return TaskVerdict.Fail(
                $"{covering.Describe()} holds every column the query needs, but the plan is not an Index Only Scan.",
                [.. VisibilityAdvice(facts)]);
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
    private static async Task<TaskVerdict> JudgePartial(ExplainResult plan, List<IndexInfo> indexes, SqlScenario scenario, ScenarioFacts facts)
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

        var held = await used.RowsHeldAsync(facts.Connection, Table, CancellationToken.None);
        if (held > facts.OpenTickets)
        {
            return TaskVerdict.Fail(
                $"{used.Describe()} holds {PlanText.Count(held)} tickets, of which {PlanText.Count(facts.OpenTickets)} are open.",
                "The queue reads only status = 'open'. A partial index whose WHERE lets in other tickets too grows with them:",
                "make its WHERE clause the queue's own condition, status = 'open'.");
        }

        if (plan.HasSort)
        {
            return TaskVerdict.Fail(
                $"{used.Describe()} finds the open tickets, but the plan still sorts them.",
                "The queue is read oldest first: make created_at the indexed column, so the index hands them over in order.");
        }

        return TaskVerdict.Pass($"{scan!.DisplayType} on {used.Describe()}: {PlanText.Count(used.Entries)} entries, {PlanText.Bytes(used.SizeBytes)}.");
    }

    /// <summary>An index for some tenants only (WHERE tenant_id = 42, or IN (...)) serves exactly those: a failure when it leaves rows out.</summary>
    private static async Task<TaskVerdict?> LeftOutAsync(IndexInfo used, ScenarioFacts facts)
    {
        var leftOut = await used.RowsLeftOutAsync(facts.Connection, Table, CancellationToken.None);
        return leftOut == 0
            ? null
            : TaskVerdict.Fail(
                $"{used.Describe()} leaves out {PlanText.Count(leftOut)} of the table's tickets (its WHERE clause).",
                "It serves the tenant and dates the checker asked about, and no ticket it leaves out: the screens ask for every tenant.",
                "Drop the WHERE clause from this index: (tenant_id, created_at) for every tenant.");
    }

    /// <summary>Why the index-only scan still visits the table, from what the file ran and what the visibility map says.</summary>
    private static IEnumerable<string> VisibilityAdvice(ScenarioFacts facts)
    {
        var (allVisible, pages) = facts.AllVisible;
        yield return pages > 0
            ? $"The visibility map marks {PlanText.Count(allVisible)} of the table's {PlanText.Count(pages)} pages all-visible: for the others the scan has to check the table."
            : "The visibility map is nearly empty: for most pages the scan has to check the table.";
        yield return facts.Vacuums switch
        {
            { Plain: true } => "Your file runs VACUUM, but the map is still not set: did a statement after it (an UPDATE, VACUUM FULL, CLUSTER) change the table again?",
            { Full: true } => "Your file runs VACUUM FULL: it rewrites the table into new files but does not set the visibility map; plain VACUUM does. Use VACUUM tickets (without FULL).",
            { AnalyzeOnly: true } => "Your file runs ANALYZE, which only updates statistics. VACUUM (or VACUUM (ANALYZE)) is what marks pages all-visible.",
            _ => "VACUUM sets those marks: add VACUUM tickets to your file (before or after the CREATE INDEX: the map belongs to the table).",
        };
        yield return "(Autovacuum would do it eventually; the checker turned it off for this table so you can see the difference.)";
    }

    /// <summary>Task 1 again, for a tenant and a week drawn at random for this run: the index must serve every tenant.</summary>
    private static async Task<TaskVerdict?> ProbeTaskOneAsync(
        NpgsqlConnection connection, List<IndexInfo> indexes, SqlScenario scenario, ScenarioFacts facts, CancellationToken cancellationToken)
    {
        await using var draw = new NpgsqlCommand(
            "SELECT tenant_id, date_trunc('week', created_at) FROM tickets TABLESAMPLE SYSTEM (0.1) WHERE tenant_id <> @tenant ORDER BY random() LIMIT 1", connection);
        draw.Parameters.AddWithValue("tenant", (int)scenario.QueryValues["tenant"]);
        int tenant;
        DateTime week;
        await using (var reader = await draw.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            (tenant, week) = (reader.GetInt32(0), reader.GetDateTime(1));
        }

        var weekText = week.ToString("yyyy-MM-dd 00:00:00+00", System.Globalization.CultureInfo.InvariantCulture);
        var values = new Dictionary<string, object>(scenario.QueryValues) { ["tenant"] = tenant, ["week"] = weekText };
        var probe = scenario with { Label = $"tenant {tenant}", QueryValues = values };
        var plan = await Explain.AnalyzeAsync(connection, probe.Query(s_tasks[0].QueryFile), cancellationToken);
        var verdict = await JudgeColumnOrder(plan, indexes, probe, facts);
        return verdict.Problem is null
            ? null
            : TaskVerdict.Fail(
                $"served {scenario.Label}, but not tenant {tenant}'s week of {week:yyyy-MM-dd}, drawn at random for this run: {verdict.Problem}",
                [.. verdict.Advice]);
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

    private sealed record TicketTask(int Number, string Title, string QueryFile, Func<ExplainResult, List<IndexInfo>, SqlScenario, ScenarioFacts, Task<TaskVerdict>> Judge);

    /// <summary>
    /// What the verdicts rest on: how many entries a badly ordered index walks, how many tickets are open, which VACUUMs the
    /// file ran, and how much of the table the visibility map marks all-visible after it.
    /// </summary>
    private sealed record ScenarioFacts(long WeekRows, long OpenTickets, NpgsqlConnection Connection, Vacuums Vacuums, (long AllVisible, long Pages) AllVisible);

    /// <summary>The VACUUM and ANALYZE statements of the learner's file.</summary>
    private sealed record Vacuums(bool Plain, bool Full, bool AnalyzeOnly)
    {
        public static Vacuums Of(string sql)
        {
            var statements = SqlScript.Split(sql).Select(statement => statement.Text.Trim()).ToList();
            bool Starts(string text, string word) => text.StartsWith(word, StringComparison.OrdinalIgnoreCase);
            var vacuums = statements.Where(text => Starts(text, "VACUUM")).ToList();
            var full = vacuums.Where(text => System.Text.RegularExpressions.Regex.IsMatch(text, @"^VACUUM\s*(\(([^)]*\bFULL\b[^)]*)\)|FULL\b)", System.Text.RegularExpressions.RegexOptions.IgnoreCase)).ToList();
            return new Vacuums(vacuums.Count > full.Count, full.Count > 0, vacuums.Count == 0 && statements.Any(text => Starts(text, "ANALYZE")));
        }
    }

    private sealed record TaskVerdict(string? Problem, IReadOnlyList<string> Advice, string Praise)
    {
        public static TaskVerdict Pass(string praise) => new(null, [], praise);

        public static TaskVerdict Fail(string problem, params string[] advice) => new(problem, advice, string.Empty);

        public static TaskVerdict Fail(string problem, IReadOnlyList<string> advice) => new(problem, advice, string.Empty);
    }

    private sealed record TaskOutcome(
        TicketTask Task, ExplainResult Before, double BeforeMs, ExplainResult After, double AfterMs, string? Problem, IReadOnlyList<string> Advice, string Praise);

    private sealed record ScenarioRun(IReadOnlyList<TaskOutcome> Outcomes, Report? Failure);
}
