using System.Diagnostics;
using System.Globalization;
using Lab.Checker.Sql;
using Lab.Checker.Verification;
using Npgsql;

namespace Lab.Checker.Checks.Retention;

/// <summary>
/// 04: a nightly retention job on the partitioned audit log. Passes when, on both datasets and after running twice,
/// the months older than twelve are gone as whole partitions (detached and dropped, not deleted row by row), every
/// other row is intact, no surviving partition was rewritten (same relfilenode), a DEFAULT partition exists and the
/// next three months have their partitions. Shows what a DELETE of the same rows would have cost.
/// </summary>
public sealed class RetentionCheck : IExerciseCheck
{
    private const string LearnerFile = "retention.sql";
    private const string WorkingCopyScript = "Checks/Retention/working_copy.sql";
    private const string Table = "audit_events";
    private const int KeepMonths = 12;
    private const int AheadMonths = 3;

    public string Id => "retention";

    /// <summary>The datasets end in the current month, so they are generated for it (and again next month).</summary>
    public static Scenario Visible(DateTimeOffset anchor) => new(
        Data(anchor, "lab04_data", "the partitioned audit log (1,000,000 events over the last 18 months)", rows: 1_000_000, months: 18, growth: 1.0, seed: 104),
        "lab04");

    public static Scenario Hidden(DateTimeOffset anchor) => new(
        Data(anchor, "lab04_hidden_data", "a second audit log (30 months, growing volume)", rows: 600_000, months: 30, growth: 0.7, seed: 204),
        "lab04_hidden");

    public async Task<CheckResult> VerifyAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var anchor = await CurrentMonthAsync(context, cancellationToken);
        var visible = Visible(anchor);
        var hidden = Hidden(anchor);
        var (sql, file, failure) = await LearnerSqlPreparation.PrepareAsync(
            context, LearnerFile, visible, hidden, scenario => WorkingCopy.RebuildAsync(context, scenario.Data, scenario.Schema, WorkingCopyScript, cancellationToken));
        if (failure is not null)
        {
            return CheckResult.Fail(failure);
        }

        var first = await RunScenarioAsync(context, visible, anchor, sql, file, cancellationToken);
        if (first.Failure is not null)
        {
            return CheckResult.Fail(first.Failure);
        }

        var comparison = await CompareWithDeleteAsync(context, visible, anchor, cancellationToken);
        context.Status("Running your job against the second dataset...");
        var second = await RunScenarioAsync(context, hidden, anchor, sql, file, cancellationToken);
        if (second.Failure is not null)
        {
            return CheckResult.Fail(new Report()
                .Failure("Your job works on the first dataset, but not on the second one.")
                .Line($"  The checker also runs it on {hidden.Data.Description}. A retention job must work out which")
                .Line("  partitions are old from the dates, whatever their number.")
                .Blank()
                .Append(second.Failure));
        }

        var cutoff = anchor.AddMonths(-KeepMonths);
        var report = new Report()
            .Success($"Old data gone: {first.Dropped.Count} partitions before {Month(cutoff)} dropped ({first.Dropped[0]} ... {first.Dropped[^1]}), " +
                $"{PlanText.Count(first.RowsRemoved)} events.")
            .Success($"The rest intact: {first.Kept.Count} months, counts and checksums equal; no partition rewritten (same relfilenodes).")
            .Success($"A DEFAULT partition ({first.DefaultPartition}) and the next {AheadMonths} months ({string.Join(", ", first.Ahead)}) are there.")
            .Success("Running the job a second time changed nothing, as a nightly job must.")
            .Blank()
            .Line($"What it cost, removing the same {PlanText.Count(first.RowsRemoved)} events:")
            .Line($"    your job:                 {PlanText.Milliseconds(first.Elapsed.TotalMilliseconds)}, about {PlanText.Bytes(first.WalBytes)} of WAL")
            .Line($"    DELETE on a copy:         {PlanText.Milliseconds(comparison.Elapsed.TotalMilliseconds)}, about {PlanText.Bytes(comparison.WalBytes)} of WAL,")
            .Line($"                              and {PlanText.Count(comparison.Rows)} dead rows left for VACUUM; the table file stays {PlanText.Bytes(comparison.TableBytes)}")
            .Success($"Second dataset: {second.Dropped.Count} old partitions dropped, {second.Kept.Count} months intact.");
        if (first.WalBytes > comparison.WalBytes / 2)
        {
            // WAL is counted for the whole server: without a DELETE, UPDATE or copy seen, the likeliest writer is someone else.
            report.Warning($"The WAL measured while your job ran ({PlanText.Bytes(first.WalBytes)}) is as much as the DELETE's. The checker saw no row deleted,")
                .Line("  updated or copied by your job, and the server counts WAL for everyone: another program probably wrote it meanwhile.")
                .Line("  Run the check again on a quieter machine to see your job's own cost.");
        }

        report
            .Blank()
            .Line("What you learned: with time-partitioned data, retention is a catalog operation. DETACH and DROP remove")
            .Line("a month whatever its size, write almost no WAL, leave nothing for VACUUM and give the disk space back.")
            .Line("The same job creates the coming months ahead of time; the DEFAULT partition catches what no partition")
            .Line("matches instead of failing the insert (keep it empty: a row there blocks creating its month's partition).")
            .Line("Read more: https://www.postgresql.org/docs/current/ddl-partitioning.html#DDL-PARTITIONING-DECLARATIVE-MAINTENANCE");
        return CheckResult.Pass(report);
    }

    public async Task<string> ResetAsync(CheckContext context, CancellationToken cancellationToken)
    {
        await using var connection = await context.Infrastructure.LabDb.OpenConnectionAsync(cancellationToken);
        foreach (var schema in new[] { "lab04", "lab04_hidden" })
        {
            await ExecuteAsync(connection, $"DROP SCHEMA IF EXISTS {schema} CASCADE", cancellationToken);
        }

        return "Schemas lab04 and lab04_hidden are gone; verify rebuilds the partitions from the generated data (kept in lab04_data).";
    }

    private static Dataset Data(DateTimeOffset anchor, string schema, string description, int rows, int months, double growth, int seed) =>
        new(schema, description, "Checks/Retention/audit_events_source.sql", new Dictionary<string, object>
        {
            ["rows"] = rows,
            ["months"] = months,
            ["growth"] = growth,
            ["seed"] = seed,
            ["anchor"] = anchor.ToString("yyyy-MM-dd HH:mm:ssK", CultureInfo.InvariantCulture),
        });

    private static async Task<DateTimeOffset> CurrentMonthAsync(CheckContext context, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(context.Infrastructure.LabDbConnectionString("lab-checker"));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT date_trunc('month', now())", connection);
        var value = (DateTime)(await command.ExecuteScalarAsync(cancellationToken))!;
        return new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc));
    }

    private static async Task<ScenarioRun> RunScenarioAsync(
        CheckContext context, Scenario scenario, DateTimeOffset anchor, string sql, string file, CancellationToken cancellationToken)
    {
        var infrastructure = context.Infrastructure;
        await using var connection = new NpgsqlConnection(infrastructure.LabDbConnectionString("lab-checker", scenario.Schema));
        await connection.OpenAsync(cancellationToken);
        var cutoff = anchor.AddMonths(-KeepMonths);
        var before = await Partitions.ListAsync(connection, Table, cancellationToken);
        var expected = await MonthChecksums.ComputeAsync(connection, $"{scenario.Data.Schema}.audit_events", $"occurred_at >= '{Timestamp(cutoff)}'", cancellationToken);
        var oldRows = await ScalarAsync(connection, $"SELECT count(*) FROM {scenario.Data.Schema}.audit_events WHERE occurred_at < '{Timestamp(cutoff)}'", cancellationToken);

        var oldFiles = OldFiles(before.Where(partition => partition.To is { } to && to <= cutoff).ToList());
        await RunScriptAsync(connection, "Checks/Retention/watch.sql", scenario.Schema, cancellationToken);
        var tableOid = await ScalarAsync(connection, "SELECT 'audit_events'::regclass::oid::bigint", cancellationToken);
        var walBefore = await WalPositionAsync(connection, cancellationToken);
        var stopwatch = Stopwatch.StartNew();
        var run = await LearnerSql.RunAsync(infrastructure, file, sql, scenario.Schema, cancellationToken);
        var elapsed = stopwatch.Elapsed;
        var wal = await WalSinceAsync(connection, walBefore, cancellationToken);
        if (!run.Succeeded)
        {
            return ScenarioRun.Failed(new Report().Failure($"{file} did not run:").Evidence([run.Error!], 2)
                .Line("  The checker rebuilds the partitions before each run, so you can simply fix the file and verify again."));
        }

        if (run.Statements == 0)
        {
            return ScenarioRun.Failed(new Report()
                .Failure($"{file} does nothing yet: the {before.Count} monthly partitions are all still there ({before[0].Name} ... {before[^1].Name}).")
                .Line($"  Events before {Month(cutoff)} ({PlanText.Count(oldRows)} of them) have to go, the rest stays."));
        }

        var again = await LearnerSql.RunAsync(infrastructure, file, sql, scenario.Schema, cancellationToken);
        if (!again.Succeeded)
        {
            return ScenarioRun.Failed(new Report()
                .Failure("Your job ran once, but failed when it ran a second time:").Evidence([again.Error!], 2)
                .Line("  A nightly job runs again tomorrow, on what tonight's run left: CREATE TABLE IF NOT EXISTS, and only")
                .Line("  drop what is there."));
        }

        if (await Partitions.KindAsync(connection, Table, cancellationToken) is not { } kind || !kind.StartsWith("p:", StringComparison.Ordinal))
        {
            var now = await SchemaInventory.FindAsync(connection, scenario.Schema, Table, cancellationToken);
            return ScenarioRun.Failed(new Report().Failure(now is null
                    ? "After your job, there is no audit_events any more: it dropped (or renamed) the whole table."
                    : $"After your job, audit_events is {now.KindWithArticle}, no longer the partitioned table.")
                .Line("  Only the old partitions go; the table itself stays."));
        }

        if (await ScalarAsync(connection, "SELECT 'audit_events'::regclass::oid::bigint", cancellationToken) != tableOid)
        {
            return ScenarioRun.Failed(new Report().Failure("Your job dropped audit_events and created another table under its name.")
                .Line($"  Every month the old table held is gone with it, the ones to keep too ({PlanText.Count(expected.Values.Sum(month => month.Events))} events from {Month(cutoff)} on).")
                .Line("  Retention removes the old partitions only: DETACH and DROP each of them; the table itself stays."));
        }

        var after = await Partitions.ListAsync(connection, Table, cancellationToken);
        var remainingOld = await ScalarAsync(connection, $"SELECT count(*) FROM audit_events WHERE occurred_at < '{Timestamp(cutoff)}'", cancellationToken);
        var oldAttached = after.Where(partition => partition.To is { } to && to <= cutoff).ToList();
        var oldNames = before.Where(partition => partition.To is { } to && to <= cutoff).Select(partition => partition.Name).ToList();
        var leftBehind = await StillOnDiskAsync(connection, oldFiles, cancellationToken);
        var copies = await CopiesAsync(connection, scenario.Schema, cutoff, cancellationToken);
        var watched = await WatchedAsync(connection, cancellationToken);
        var rowByRow = watched.Where(entry => entry.Operation is "DELETE" or "UPDATE" && entry.Rows > 0).ToList();
        var truncated = watched.Where(entry => entry.Operation == "TRUNCATE").Select(entry => entry.Table).Distinct(StringComparer.Ordinal).ToList();
        var removedRowByRow = rowByRow.Count > 0 ? rowByRow.Max(entry => entry.Rows) : 0;
        var how = rowByRow.Count > 0
            ? $"Your job deleted them row by row ({rowByRow[0].Operation} on {rowByRow[0].Table}, {PlanText.Count(removedRowByRow)} rows)"
            : truncated.Count > 0
                ? $"Your job emptied them with TRUNCATE ({string.Join(", ", truncated.Take(3))}{(truncated.Count > 3 ? ", ..." : string.Empty)})"
                : null;

        var report = new Report();
        if (remainingOld > 0)
        {
            report.Failure($"{PlanText.Count(remainingOld)} events from before {Month(cutoff)} are still in audit_events (of {PlanText.Count(oldRows)}).")
                .Line($"  Keep the current month and the {KeepMonths} before it: every partition of a month before {Month(cutoff)} goes.");
        }
        else if (oldAttached.Count > 0)
        {
            report.Failure($"The old events are gone, but their {oldAttached.Count} partitions are still attached, empty ({oldAttached[0].Name} ... {oldAttached[^1].Name}).");
            if (rowByRow.Count > 0)
            {
                report.Line($"  {how}: every row went through the WAL ({PlanText.Bytes(wal)} of it in {PlanText.Milliseconds(elapsed.TotalMilliseconds)}),")
                    .Line("  and the dead rows stay on disk until VACUUM; the files do not shrink.");
            }
            else if (truncated.Count > 0)
            {
                report.Line($"  {how}:")
                    .Line("  quick, and the space is given back, but the empty partitions stay, month after month.");
            }
            else
            {
                report.Line("  (The checker saw no DELETE or TRUNCATE on them, and cannot tell how they were emptied.)");
            }

            report.Line("  ALTER TABLE audit_events DETACH PARTITION ... and DROP TABLE ... remove a whole month at once.");
        }
        else if (leftBehind.Count > 0)
        {
            report.Failure($"The old partitions are detached, but their data is still on disk: {string.Join(", ", leftBehind.Take(4))}{(leftBehind.Count > 4 ? ", ..." : string.Empty)}.")
                .Line($"  The checker follows each old partition's file (its relfilenode), whatever its name: {PlanText.Bytes(leftBehind.Sum(file => file.Bytes))} of old events")
                .Line("  are still in the database. Retention removes them: DROP TABLE each one after the DETACH (an archive is another exercise).");
        }
        else if (copies.Count > 0)
        {
            report.Failure($"The old partitions are dropped, but their events were copied first: {string.Join(", ", copies.Take(3).Select(copy => $"{copy.Table} ({PlanText.Count(copy.Rows)} old events)"))}.")
                .Line("  The data stays on disk under another name, and the copy wrote every row to the WAL. Retention removes old")
                .Line("  events: DETACH and DROP, with nothing copied (an archive is another exercise).");
        }
        else if (rowByRow.Count > 0)
        {
            report.Failure($"The old partitions are dropped, but before that {how![..1].ToLowerInvariant()}{how[1..]}.")
                .Line($"  That is the cost the exercise is about: your job took {PlanText.Milliseconds(elapsed.TotalMilliseconds)} and wrote about {PlanText.Bytes(wal)} of WAL,")
                .Line("  every deleted row once, for rows that the DROP would have removed anyway. DETACH and DROP alone remove a month")
                .Line("  in milliseconds, whatever its size: leave out the DELETE.");
        }

        if (report.Lines.Count > 0)
        {
            return ScenarioRun.Failed(report);
        }

        var rewritten = before
            .Where(partition => partition.To is { } to && to > cutoff)
            .Join(after, old => old.Name, current => current.Name, (old, current) => (old, current))
            .Where(pair => pair.old.FileNode != pair.current.FileNode)
            .Select(pair => pair.old.Name)
            .ToList();
        if (rewritten.Count > 0)
        {
            return ScenarioRun.Failed(new Report()
                .Failure($"{rewritten.Count} partitions that should not change were rewritten (new relfilenode): {string.Join(", ", rewritten.Take(4))}{(rewritten.Count > 4 ? ", ..." : string.Empty)}.")
                .Line("  VACUUM FULL, CLUSTER, or copying rows into a new table rewrites every byte of data you meant to keep.")
                .Line("  Retention by partition touches only the months that go."));
        }

        var actual = await MonthChecksums.ComputeAsync(connection, Table, "true", cancellationToken);
        var differences = MonthChecksums.Differences(expected, actual);
        if (differences.Count > 0)
        {
            return ScenarioRun.Failed(new Report()
                .Failure("The months that should stay are not intact:")
                .Evidence(differences.Take(8))
                .Line($"  Only months before {Month(cutoff)} go."));
        }

        var defaultPartition = after.FirstOrDefault(partition => partition.IsDefault);
        var ahead = Enumerable.Range(1, AheadMonths).Select(anchor.AddMonths).ToList();
        var missingAhead = ahead.Where(month => !after.Any(partition => partition.IsOneMonth && partition.From == month)).ToList();
        if (defaultPartition is null || missingAhead.Count > 0)
        {
            var problems = new Report();
            if (defaultPartition is null)
            {
                problems.Failure("audit_events has no DEFAULT partition.")
                    .Line("  Without one, an event whose month has no partition fails to insert (and is lost if the writer gives up).")
                    .Line("  CREATE TABLE ... PARTITION OF audit_events DEFAULT catches it.");
            }

            if (missingAhead.Count > 0)
            {
                problems.Failure($"No partition yet for {string.Join(", ", missingAhead.Select(Month))}.")
                    .Line($"  Create the next {AheadMonths} months ahead of time (one partition per calendar month), so the first event of a")
                    .Line("  month never lands in the DEFAULT partition.");
            }

            return ScenarioRun.Failed(problems);
        }

        return new ScenarioRun(
            null,
            oldNames,
            actual.Keys.ToList(),
            defaultPartition.Name,
            ahead.Select(month => after.First(partition => partition.IsOneMonth && partition.From == month).Name).ToList(),
            oldRows,
            elapsed,
            wal);
    }

    /// <summary>The cost of the other way: DELETE the same rows from a copy, in the same run, on the same server.</summary>
    private static async Task<Comparison> CompareWithDeleteAsync(CheckContext context, Scenario scenario, DateTimeOffset anchor, CancellationToken cancellationToken)
    {
        context.Status("Measuring a DELETE of the same rows on a copy, for comparison...");
        await using var connection = new NpgsqlConnection(context.Infrastructure.LabDbConnectionString("lab-checker", scenario.Schema));
        await connection.OpenAsync(cancellationToken);
        var cutoff = Timestamp(anchor.AddMonths(-KeepMonths));
        var copy = SqlResources.Read("Checks/Retention/delete_comparison.sql", new Dictionary<string, object>
        {
            ["schema"] = scenario.Schema,
            ["source"] = scenario.Data.Schema,
            ["cutoff"] = cutoff,
        });
        foreach (var statement in SqlScript.Split(copy))
        {
            await ExecuteAsync(connection, statement.Text, cancellationToken);
        }

        var walBefore = await WalPositionAsync(connection, cancellationToken);
        var stopwatch = Stopwatch.StartNew();
        await using var delete = new NpgsqlCommand($"DELETE FROM delete_comparison WHERE occurred_at < '{cutoff}'", connection) { CommandTimeout = 0 };
        var rows = await delete.ExecuteNonQueryAsync(cancellationToken);
        var elapsed = stopwatch.Elapsed;
        var wal = await WalSinceAsync(connection, walBefore, cancellationToken);
        var size = await ScalarAsync(connection, "SELECT pg_total_relation_size('delete_comparison')", cancellationToken);
        await ExecuteAsync(connection, "DROP TABLE delete_comparison", cancellationToken);
        return new Comparison(rows, elapsed, wal, size);
    }

    /// <summary>The files of the old partitions (relfilenodes), to find them afterwards whatever they are called.</summary>
    private static long[] OldFiles(List<PartitionInfo> old) => old.Select(partition => partition.FileNode).Where(node => node > 0).ToArray();

    /// <summary>Relations of labdb that still have one of the old partitions' files: detached and kept, renamed or moved.</summary>
    private static async Task<List<OnDisk>> StillOnDiskAsync(NpgsqlConnection connection, long[] files, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT n.nspname || '.' || c.relname, pg_relation_size(c.oid)
            FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r' AND pg_relation_filenode(c.oid) = ANY(@files)
            ORDER BY 1
            """,
            connection);
        command.Parameters.AddWithValue("files", files);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var found = new List<OnDisk>();
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(new OnDisk(reader.GetString(0), reader.GetInt64(1)));
        }

        return found;
    }

    /// <summary>Tables of the schema, other than audit_events and its partitions, that hold events from before the cutoff.</summary>
    private static async Task<List<(string Table, long Rows)>> CopiesAsync(NpgsqlConnection connection, string schema, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT c.relname,
                   (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I WHERE occurred_at < %L', @schema, c.relname, @cutoff), false, true, '')))[1]::text::bigint
            FROM pg_class AS c
            JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attname = 'occurred_at' AND NOT a.attisdropped
            WHERE c.relnamespace = to_regnamespace(@schema)::oid AND c.relkind IN ('r', 'p', 'm') AND NOT c.relispartition
              AND c.relname <> 'audit_events' AND c.relname NOT LIKE '\_%' AND c.relname <> 'delete_comparison'
            ORDER BY 1
            """,
            connection) { CommandTimeout = 0 };
        command.Parameters.AddWithValue("schema", schema);
        command.Parameters.AddWithValue("cutoff", Timestamp(cutoff));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var copies = new List<(string, long)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.GetInt64(1) > 0)
            {
                copies.Add((reader.GetString(0), reader.GetInt64(1)));
            }
        }

        return copies;
    }

    /// <summary>What the watch triggers recorded: the job's DELETEs, UPDATEs and TRUNCATEs on audit_events and its partitions.</summary>
    private static async Task<List<(string Table, string Operation, long Rows)>> WatchedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var entries = new List<(string, string, long)>();
        await using var command = new NpgsqlCommand("SELECT table_name, operation, rows FROM _retention_watch ORDER BY at", connection);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                entries.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
            }
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // The job dropped the checker's watch table: then the checker knows nothing about how rows went.
        }

        return entries;
    }

    private static async Task RunScriptAsync(NpgsqlConnection connection, string resource, string schema, CancellationToken cancellationToken)
    {
        foreach (var statement in SqlScript.Split(SqlResources.Read(resource, new Dictionary<string, object> { ["schema"] = schema })))
        {
            await ExecuteAsync(connection, statement.Text, cancellationToken);
        }
    }

    private static async Task<string> WalPositionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_current_wal_insert_lsn()::text", connection);
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>WAL written since <paramref name="position"/>: by this job, plus whatever else the server did meanwhile.</summary>
    private static async Task<long> WalSinceAsync(NpgsqlConnection connection, string position, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), @position::pg_lsn)::bigint", connection);
        command.Parameters.AddWithValue("position", position);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Timestamp(DateTimeOffset value) => value.ToString("yyyy-MM-dd HH:mm:ss+00", CultureInfo.InvariantCulture);

    private static string Month(DateTimeOffset value) => value.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>One dataset: its pristine data and the schema of the partitioned table the job runs on.</summary>
    public sealed record Scenario(Dataset Data, string Schema);

    private sealed record Comparison(long Rows, TimeSpan Elapsed, long WalBytes, long TableBytes);

    private sealed record OnDisk(string Table, long Bytes)
    {
        public override string ToString() => $"{Table} ({PlanText.Bytes(Bytes)})";
    }

    private sealed record ScenarioRun(
        Report? Failure,
        IReadOnlyList<string> Dropped,
        IReadOnlyList<string> Kept,
        string DefaultPartition,
        IReadOnlyList<string> Ahead,
        long RowsRemoved,
        TimeSpan Elapsed,
        long WalBytes)
    {
        public static ScenarioRun Failed(Report failure) => new(failure, [], [], string.Empty, [], 0, TimeSpan.Zero, 0);
    }
}
