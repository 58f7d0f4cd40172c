using Lab.Checker.Sql;
using Lab.Checker.Verification;
using Npgsql;

namespace Lab.Checker.Checks.RangePartitioning;

/// <summary>
/// 03: the learner's migration moves a live audit table to monthly range partitions. Passes when, on both datasets,
/// audit_events ends up partitioned by month on occurred_at, every original row is there unchanged (per-month
/// counts and checksums), every event the application wrote during the migration is in the new table, and a
/// one-month query reads one partition.
/// </summary>
public sealed class RangePartitioningCheck : IExerciseCheck
{
    private const string LearnerFile = "migration.sql";
    private const string WorkingCopyScript = "Checks/RangePartitioning/working_copy.sql";
    private const string Table = "audit_events";
    private const int Runs = 3;

    public static readonly Scenario Visible = new(
        new Dataset("lab03_data", "the audit log to migrate (1,000,000 events over 12 months)", "Checks/RangePartitioning/audit_events_source.sql", new Dictionary<string, object>
        {
            ["rows"] = 1_000_000,
            ["start"] = "2024-01-01 00:00:00+00",
            ["months"] = 12,
            ["growth"] = 1.0,
            ["seed"] = 103,
        }),
        "lab03",
        "March 2024",
        "2024-03-01 00:00:00+00",
        new DateTimeOffset(2024, 12, 1, 0, 0, 0, TimeSpan.Zero));

    public static readonly Scenario Hidden = new(
        new Dataset("lab03_hidden_data", "a second audit log (19 months, growing volume)", "Checks/RangePartitioning/audit_events_source.sql", new Dictionary<string, object>
        {
            ["rows"] = 600_000,
            ["start"] = "2023-06-01 00:00:00+00",
            ["months"] = 19,
            ["growth"] = 0.6,
            ["seed"] = 203,
        }),
        "lab03_hidden",
        "September 2024",
        "2024-09-01 00:00:00+00",
        new DateTimeOffset(2024, 12, 1, 0, 0, 0, TimeSpan.Zero));

    public string Id => "range-partitioning";

    public async Task<CheckResult> VerifyAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var (sql, file, failure) = await LearnerSqlPreparation.PrepareAsync(
            context, LearnerFile, Visible, Hidden, scenario => WorkingCopy.RebuildAsync(context, scenario.Data, scenario.Schema, WorkingCopyScript, cancellationToken));
        if (failure is not null)
        {
            return CheckResult.Fail(failure);
        }

        // Both datasets at once, each with its own writers: two cores copy the two tables side by side.
        context.Status("Running your migration on both datasets while the application keeps writing...");
        var runs = await Task.WhenAll(
            RunScenarioAsync(context, Visible, sql, file, cancellationToken),
            RunScenarioAsync(context, Hidden, sql, file, cancellationToken));
        var (first, second) = (runs[0], runs[1]);
        if (first.Failure is not null)
        {
            return CheckResult.Fail(first.Failure);
        }

        if (second.Failure is not null)
        {
            return CheckResult.Fail(new Report()
                .Failure("Your migration works on the first dataset, but not on the second one.")
                .Line($"  The checker also runs it on {Hidden.Data.Description}.")
                .Line("  A migration meets production data you have not seen: derive the months from the data.")
                .Blank()
                .Append(second.Failure));
        }

        var report = new Report()
            .Success($"audit_events is partitioned by range on occurred_at: {first.Partitions.Count(partition => !partition.IsDefault)} monthly partitions " +
                $"({first.Partitions[0].Name} ... {first.Partitions.Last(partition => !partition.IsDefault).Name}).")
            .Success($"No row lost or changed: {PlanText.Count(first.Expected.Values.Sum(month => month.Events))} events over {first.Expected.Count} months, " +
                "counts and checksums equal before and after.")
            .Success($"The application kept writing: {PlanText.Count(first.Writes)} events written while your migration ran, {PlanText.Count(first.OutOfOrder)} of them " +
                $"committed after a newer id, are all in the new table (the longest insert waited {PlanText.Milliseconds(first.LongestWait.TotalMilliseconds)}).")
            .Success("Every row is in its own month's partition; the DEFAULT partition, if you made one, is empty.")
            .Success($"A query for {Visible.MonthLabel} reads one partition:")
            .Line("Before, on the plain table:")
            .Evidence(PlanText.Lines(first.Before))
            .Line($"    median of {Runs} warm runs: {PlanText.Milliseconds(first.BeforeMs)}")
            .Line("After:")
            .Evidence(PlanText.Lines(first.After))
            .Line($"    median of {Runs} warm runs: {PlanText.Milliseconds(first.AfterMs)}")
            .Success($"Second dataset: {second.Partitions.Count(partition => !partition.IsDefault)} monthly partitions, every row kept, " +
                $"the {Hidden.MonthLabel} query reads {second.After.TablesRead[0]} only.")
            .Blank()
            .Line("What you learned: a table cannot become partitioned in place; you build the partitioned table beside it,")
            .Line("copy, and swap names in one transaction. Locking the old table first (LOCK TABLE ... IN EXCLUSIVE MODE)")
            .Line("makes the writers wait a moment instead of writing rows the copy never sees. Afterwards the planner")
            .Line("skips every partition a WHERE clause on occurred_at rules out (partition pruning).")
            .Line("Read more: https://www.postgresql.org/docs/current/ddl-partitioning.html");
        return CheckResult.Pass(report);
    }

    public async Task<string> ResetAsync(CheckContext context, CancellationToken cancellationToken)
    {
        await using var connection = await context.Infrastructure.LabDb.OpenConnectionAsync(cancellationToken);
        foreach (var scenario in new[] { Visible, Hidden })
        {
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {scenario.Schema} CASCADE", connection);
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }

        return "Schemas lab03 and lab03_hidden are gone; verify rebuilds the live table from the generated data (kept in lab03_data).";
    }

    private static async Task<ScenarioRun> RunScenarioAsync(
        CheckContext context, Scenario scenario, string sql, string file, CancellationToken cancellationToken)
    {
        var infrastructure = context.Infrastructure;
        await using var connection = new NpgsqlConnection(infrastructure.LabDbConnectionString("lab-checker", scenario.Schema));
        await connection.OpenAsync(cancellationToken);
        var query = SqlResources.Read("Checks/RangePartitioning/one_month.sql", new Dictionary<string, object> { ["month"] = scenario.Month });
        var before = await Explain.AnalyzeAsync(connection, query, cancellationToken);
        var beforeMs = await Explain.MedianMillisecondsAsync(connection, query, Runs, cancellationToken);
        var expected = await ExpectedMonthsAsync(connection, scenario, cancellationToken);
        var lastOriginalId = await ScalarAsync<long>(connection, $"SELECT max(id) FROM {scenario.Data.Schema}.audit_events", cancellationToken);

        var writer = new LiveWriter(
            infrastructure.LabDbConnectionString("lab-live-writer", scenario.Schema), scenario.WriterMonth, scenario.WriterMonth.AddMonths(1));
        LearnerSqlResult run;
        await using (writer)
        {
            writer.Start();
            await Task.Delay(200, cancellationToken);
            run = await LearnerSql.RunAsync(infrastructure, file, sql, scenario.Schema, cancellationToken);
            await Task.Delay(300, cancellationToken);
            await writer.StopAsync();
        }

        if (!run.Succeeded)
        {
            return ScenarioRun.Failed(new Report().Failure($"{file} did not run:").Evidence([run.Error!], 2)
                .Line("  The checker rebuilds the table before each run, so you can simply fix the file and verify again."));
        }

        var kind = await Partitions.KindAsync(connection, Table, cancellationToken);
        if (kind != "p:range:occurred_at")
        {
            return ScenarioRun.Failed(await KindProblemAsync(connection, scenario, kind, run, before, beforeMs, file, cancellationToken));
        }

        var partitions = await Partitions.ListAsync(connection, Table, cancellationToken);
        var notMonthly = partitions.Where(partition => !partition.IsDefault && !partition.IsOneMonth).ToList();
        if (notMonthly.Count > 0 || partitions.All(partition => partition.IsDefault))
        {
            return ScenarioRun.Failed(new Report()
                .Failure(partitions.All(partition => partition.IsDefault)
                    ? "audit_events has no monthly partition: every row sits in one partition."
                    : "Some partitions do not cover exactly one calendar month:")
                .Evidence(notMonthly.Take(5).Select(partition => $"{partition.Name}: {partition.Bound}"))
                .Line("  Each partition should run FROM the first of a month TO the first of the next (the checker works in UTC)."));
        }

        var actual = await MonthChecksums.ComputeAsync(connection, Table, $"id <= {lastOriginalId}", cancellationToken);
        var differences = MonthChecksums.Differences(expected, actual);
        if (differences.Count > 0)
        {
            return ScenarioRun.Failed(new Report()
                .Failure("The rows in the new table are not the rows of the old one:")
                .Evidence(differences.Take(8))
                .Line("  Copy every row as it is: INSERT INTO <new table> SELECT * FROM <old table>, once, in the same transaction."));
        }

        var written = writer.Written;
        var missingWrites = await MissingAsync(connection, written, cancellationToken);
        if (writer.Errors.Count > 0 || missingWrites.Count > 0)
        {
            var report = new Report();
            if (writer.Errors.Count > 0)
            {
                report.Failure("While your migration ran or right after, the application's inserts failed:")
                    .Evidence(writer.Errors.Distinct(StringComparer.Ordinal), 4);
                foreach (var line in await InsertAdviceAsync(connection, writer.Errors, sql, cancellationToken))
                {
                    report.Line(line);
                }
            }

            if (missingWrites.Count > 0)
            {
                var highestMissing = missingWrites.Max();
                var newerKept = written.Count(id => id > highestMissing && !missingWrites.Contains(id));
                report.Failure($"{PlanText.Count(missingWrites.Count)} of the {PlanText.Count(written.Count)} events the application wrote during your migration are not in the new table.")
                    .Evidence([$"missing ids: {string.Join(", ", missingWrites.Take(8))}{(missingWrites.Count > 8 ? ", ..." : string.Empty)}"])
                    .Line("  They were committed into the old table after your copy had read it, and the swap left them behind.");
                var catchUp = System.Text.RegularExpressions.Regex.IsMatch(
                    SqlScript.WithoutComments(sql), @"max\s*\(\s*id\s*\)|\bid\s*>", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
                if (newerKept > 0 && catchUp)
                {
                    report.Line($"  {PlanText.Count(newerKept)} events with higher ids did make it: the application commits out of id order (a transaction that")
                        .Line("  took its id first may commit last), so a catch-up by \"id greater than the highest copied\" skips the late ones.");
                }

                report.Line("  Lock the old table against writes before copying (LOCK TABLE audit_events IN EXCLUSIVE MODE, inside")
                    .Line("  the transaction): writers then wait a moment, and write into the new table once you commit. (A catch-up")
                    .Line("  under that lock must compare ids, NOT EXISTS, rather than look for ids above the highest copied.)");
            }

            return ScenarioRun.Failed(report);
        }

        var inDefault = await DefaultPartitionMonthsAsync(connection, partitions, cancellationToken);
        if (inDefault.Count > 0)
        {
            var defaultName = partitions.First(partition => partition.IsDefault).Name;
            return ScenarioRun.Failed(new Report()
                .Failure($"{PlanText.Count(inDefault.Sum(month => month.Events))} events sit in the DEFAULT partition {defaultName}, not in a partition of their month:")
                .Evidence(inDefault.Take(6).Select(month => $"{month.Month}: {PlanText.Count(month.Events)} events"))
                .Line($"  No partition covers {(inDefault.Count == 1 ? "that month" : "those months")}, so the rows fell into the safety net. A query for one of")
                .Line("  them reads the whole DEFAULT partition, and creating the month's partition later fails while its rows sit there.")
                .Line("  Create one partition for every month that has data: compute the months from min(occurred_at) to max(occurred_at)."));
        }

        await using (var analyze = new NpgsqlCommand($"ANALYZE {Table}", connection) { CommandTimeout = 0 })
        {
            await analyze.ExecuteNonQueryAsync(cancellationToken);
        }

        var after = await Explain.AnalyzeAsync(connection, query, cancellationToken);
        if (after.TablesRead.Count != 1)
        {
            return ScenarioRun.Failed(new Report()
                .Failure($"A query for {scenario.MonthLabel} reads {after.TablesRead.Count} partitions, not one:")
                .Evidence(PlanText.Lines(after))
                .Line("  With one partition per calendar month (UTC), PostgreSQL prunes every partition but the month asked for."));
        }

        var afterMs = await Explain.MedianMillisecondsAsync(connection, query, Runs, cancellationToken);
        return new ScenarioRun(null, partitions, expected, written.Count, writer.OutOfOrderCommits, writer.LongestWait, before, beforeMs, after, afterMs);
    }

    /// <summary>What is wrong when audit_events is not range-partitioned on occurred_at: whatever the file left in its place.</summary>
    private static async Task<Report> KindProblemAsync(
        NpgsqlConnection connection, Scenario scenario, string? kind, LearnerSqlResult run, ExplainResult before, double beforeMs, string file, CancellationToken cancellationToken)
    {
        var report = new Report();
        switch (kind)
        {
            case null:
                var left = await SchemaInventory.DescribeAsync(connection, $"^{scenario.Schema}$", 6, cancellationToken);
                report.Failure("After your migration there is no table named audit_events: the application can no longer find it.");
                if (left.Count > 0)
                {
                    report.Line("  What your migration left:").Evidence(left, 4);
                }

                return report.Line("  Rename the new partitioned table to audit_events (and the old one out of the way) in the same transaction.");
            case "r" when run.Statements == 0:
                return report.Failure($"{file} does nothing yet: audit_events is still one plain table.")
                    .Line($"  A query for one month reads all of it ({PlanText.Count(before.Root.SharedBuffers)} buffers, {PlanText.Milliseconds(beforeMs)}):")
                    .Evidence(PlanText.Lines(before));
            case "r":
                return report.Failure("After your migration, audit_events is still a plain table.")
                    .Line("  The application reads and writes the table named audit_events: the partitioned table has to take that name.");
            case var partitioned when partitioned.StartsWith("p:", StringComparison.Ordinal):
                return report.Failure($"audit_events is partitioned, but not by range on occurred_at ({partitioned[2..].Replace(':', ' ')}).")
                    .Line("  Monthly partitions are ranges of occurred_at: PARTITION BY RANGE (occurred_at).");
            default:
                var relation = await SchemaInventory.FindAsync(connection, scenario.Schema, Table, cancellationToken);
                var what = relation?.KindWithArticle ?? $"a relation of kind '{kind}'";
                return report.Failure($"After your migration, audit_events is {what}, not a table.")
                    .Line("  The application inserts into audit_events, and queries plan against it: the partitioned table itself has")
                    .Line("  to carry the name. Rename it to audit_events (and the old table out of the way) in the same transaction,")
                    .Line($"  instead of putting {what} in its place.");
        }
    }

    /// <summary>Why the application's inserts failed, from what the catalog says about the new table's id (not from guesses).</summary>
    private static async Task<List<string>> InsertAdviceAsync(NpgsqlConnection connection, IReadOnlyList<string> errors, string sql, CancellationToken cancellationToken)
    {
        var advice = new List<string>();
        if (errors.Any(error => error.Contains("no partition of relation", StringComparison.Ordinal)))
        {
            advice.Add("  Some events have no partition to go to: create one for every month that has data, including the current one.");
        }

        if (!errors.Any(error => error.Contains("null value in column \"id\"", StringComparison.Ordinal)))
        {
            return advice.Count > 0 ? advice : ["  The new audit_events must accept the inserts the old one did."];
        }

        await using var command = new NpgsqlCommand(
            """
            SELECT pg_get_expr(d.adbin, d.adrelid), to_regclass('audit_events_id_seq') IS NOT NULL
            FROM pg_attribute AS a
            LEFT JOIN pg_attrdef AS d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attrelid = to_regclass('audit_events') AND a.attname = 'id'
            """,
            connection);
        string? idDefault = null;
        var sequenceExists = true;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                idDefault = reader.IsDBNull(0) ? null : reader.GetString(0);
                sequenceExists = reader.GetBoolean(1);
            }
        }

        var text = SqlScript.WithoutComments(sql);
        if (idDefault is null && !sequenceExists)
        {
            advice.Add("  The new audit_events has no default for id, and the sequence audit_events_id_seq is gone. It belonged to the old");
            advice.Add("  table's id column (bigserial), so dropping the old table took it along" +
                (text.Contains("CASCADE", StringComparison.OrdinalIgnoreCase) ? ", and CASCADE removed the new table's default that used it." : "."));
            advice.Add("  Hand the sequence to the new table before dropping the old one: ALTER SEQUENCE audit_events_id_seq OWNED BY audit_events.id.");
        }
        else if (idDefault is null && !System.Text.RegularExpressions.Regex.IsMatch(text, @"INCLUDING\s+(DEFAULTS|ALL)", System.Text.RegularExpressions.RegexOptions.IgnoreCase))
        {
            advice.Add("  The new audit_events has no default for id: LIKE copies only the columns unless told more. LIKE audit_events");
            advice.Add("  INCLUDING DEFAULTS keeps the default, nextval('audit_events_id_seq'), and with it the same sequence.");
        }
        else if (idDefault is null)
        {
            advice.Add("  The new audit_events has no default for id, although your file asks LIKE to include defaults; something after it");
            advice.Add("  removed it (the checker cannot tell what). The application relies on the default nextval('audit_events_id_seq').");
        }
        else
        {
            advice.Add($"  The new table's id default is {idDefault}; the inserts still got no id (the checker cannot tell why).");
        }

        return advice;
    }

    /// <summary>Rows in the DEFAULT partition, per month: rows that found no partition of their own.</summary>
    private static async Task<List<(string Month, long Events)>> DefaultPartitionMonthsAsync(
        NpgsqlConnection connection, IReadOnlyList<PartitionInfo> partitions, CancellationToken cancellationToken)
    {
        var months = new List<(string, long)>();
        if (partitions.FirstOrDefault(partition => partition.IsDefault) is not { } defaultPartition)
        {
            return months;
        }

        await using var command = new NpgsqlCommand(
            $"SELECT to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM'), count(*) FROM \"{defaultPartition.Name.Replace("\"", "\"\"", StringComparison.Ordinal)}\" GROUP BY 1 ORDER BY 1",
            connection) { CommandTimeout = 0 };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            months.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return months;
    }

    /// <summary>The per-month checksums of the pristine data: what the migrated table must add up to.</summary>
    private static async Task<IReadOnlyDictionary<string, MonthSum>> ExpectedMonthsAsync(
        NpgsqlConnection connection, Scenario scenario, CancellationToken cancellationToken)
    {
        var source = $"{scenario.Data.Schema}.audit_events";
        return await MonthChecksums.ComputeAsync(connection, source, "true", cancellationToken);
    }

    private static async Task<List<long>> MissingAsync(NpgsqlConnection connection, IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT w.id FROM unnest(@ids) AS w(id) WHERE NOT EXISTS (SELECT 1 FROM audit_events AS e WHERE e.id = w.id) ORDER BY w.id", connection);
        command.Parameters.AddWithValue("ids", ids.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var missing = new List<long>();
        while (await reader.ReadAsync(cancellationToken))
        {
            missing.Add(reader.GetInt64(0));
        }

        return missing;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>One dataset: its pristine data, the schema of the live table, the month a query asks for.</summary>
    public sealed record Scenario(Dataset Data, string Schema, string MonthLabel, string Month, DateTimeOffset WriterMonth);

    private sealed record ScenarioRun(
        Report? Failure,
        IReadOnlyList<PartitionInfo> Partitions,
        IReadOnlyDictionary<string, MonthSum> Expected,
        int Writes,
        long OutOfOrder,
        TimeSpan LongestWait,
        ExplainResult Before,
        double BeforeMs,
        ExplainResult After,
        double AfterMs)
    {
        public static ScenarioRun Failed(Report failure) => new(failure, [], new Dictionary<string, MonthSum>(), 0, 0, TimeSpan.Zero, null!, 0, null!, 0);
    }
}
