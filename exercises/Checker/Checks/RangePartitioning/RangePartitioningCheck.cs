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

        var first = await RunScenarioAsync(context, Visible, sql, file, cancellationToken);
        if (first.Failure is not null)
        {
            return CheckResult.Fail(first.Failure);
        }

        context.Status("Running your migration against the second dataset...");
        var second = await RunScenarioAsync(context, Hidden, sql, file, cancellationToken);
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
            .Success($"The application kept writing: {PlanText.Count(first.Writes)} events written while your migration ran are all in the new table " +
                $"(the longest insert waited {PlanText.Milliseconds(first.LongestWait.TotalMilliseconds)}).")
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
            var report = new Report();
            _ = kind switch
            {
                null => report.Failure("After your migration there is no table named audit_events: the application can no longer find it.")
                    .Line("  Rename the new partitioned table to audit_events (and the old one out of the way) in the same transaction."),
                "r" when run.Statements == 0 => report.Failure($"{file} does nothing yet: audit_events is still one plain table.")
                    .Line($"  A query for one month reads all of it ({PlanText.Count(before.Root.SharedBuffers)} buffers, {PlanText.Milliseconds(beforeMs)}):")
                    .Evidence(PlanText.Lines(before)),
                "r" => report.Failure("After your migration, audit_events is still a plain table.")
                    .Line("  The application reads and writes the table named audit_events: the partitioned table has to take that name."),
                _ => report.Failure($"audit_events is partitioned, but not by range on occurred_at ({kind[2..].Replace(':', ' ')}).")
                    .Line("  Monthly partitions are ranges of occurred_at: PARTITION BY RANGE (occurred_at)."),
            };
            return ScenarioRun.Failed(report);
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

        var missingWrites = await MissingAsync(connection, writer.Written, cancellationToken);
        if (writer.Errors.Count > 0 || missingWrites.Count > 0)
        {
            var report = new Report();
            if (writer.Errors.Count > 0)
            {
                report.Failure("While your migration ran or right after, the application's inserts failed:")
                    .Evidence(writer.Errors.Distinct(StringComparer.Ordinal), 4)
                    .Line("  The new audit_events must accept the inserts the old one did: an id from the same sequence")
                    .Line("  (LIKE ... INCLUDING DEFAULTS keeps the default), and a partition for every month written to.");
            }

            if (missingWrites.Count > 0)
            {
                report.Failure($"{PlanText.Count(missingWrites.Count)} of the {PlanText.Count(writer.Written.Count)} events the application wrote during your migration are not in the new table.")
                    .Evidence([$"missing ids: {string.Join(", ", missingWrites.Take(8))}{(missingWrites.Count > 8 ? ", ..." : string.Empty)}"])
                    .Line("  They went into the old table after your copy had taken its snapshot, and the swap left them behind.")
                    .Line("  Lock the old table against writes before copying (LOCK TABLE audit_events IN EXCLUSIVE MODE, inside")
                    .Line("  the transaction): writers then wait a moment, and write into the new table once you commit.");
            }

            return ScenarioRun.Failed(report);
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
        return new ScenarioRun(null, partitions, expected, writer.Written.Count, writer.LongestWait, before, beforeMs, after, afterMs);
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
        TimeSpan LongestWait,
        ExplainResult Before,
        double BeforeMs,
        ExplainResult After,
        double AfterMs)
    {
        public static ScenarioRun Failed(Report failure) => new(failure, [], new Dictionary<string, MonthSum>(), 0, TimeSpan.Zero, null!, 0, null!, 0);
    }
}
