using Lab.Checker.Sql;
using Lab.Checker.Verification;

namespace Lab.Checker.Checks.ResumableJob;

/// <summary>What the four runs on one dataset came to: passed, and the report (the failure, or the story for a pass).</summary>
public sealed record ScenarioResult(MaskingScenario Scenario, bool Passed, Report Report, IReadOnlyList<StepRun> Runs);

/// <summary>
/// Reads the work copy after exercise 07's runs and says, in the learner's terms, what went wrong and in which run:
/// rows masked more than once (and after which crash), rows left unmasked, rows lost, a rerun that changed things.
/// </summary>
public static class MaskingVerdict
{
    private const int Samples = 3;
    private static readonly string[] s_tables = ["customers", "orders"];

    public static async Task<ScenarioResult> JudgeAsync(MaskingScenario scenario, IReadOnlyList<StepRun> runs, WorkCopy copy, CancellationToken cancellationToken)
    {
        var report = new Report();
        var last = runs[^1];
        ScenarioResult Fail(Report failure) => new(scenario, false, failure.Blank().Append(Story(scenario, runs)), runs);

        if (runs.FirstOrDefault(run => run.Outcome == RunOutcome.Crashed) is { } crashed)
        {
            return Fail(report.Failure($"Your step stopped with an error on its own (run {crashed.Number}):")
                .Evidence(crashed.Errors.Split('\n').Take(6), 4));
        }

        if (last.Outcome == RunOutcome.TableGone)
        {
            return Fail(report.Failure($"After run {last.Number}, the work copy has no table {last.GoneTable} any more: your step dropped or renamed it.")
                .Line("  Mask the emails in place: the snapshot is taken of customers and orders, with every row they had."));
        }

        if (last.Outcome == RunOutcome.TimedOut)
        {
            report.Failure($"Run {last.Number} did not finish within {CrashRuns.RunTimeout.TotalSeconds:0} s.");
            var stuck = last.Stuck;
            var twice = last.ChangedOtherwise;
            if (stuck is { WaitsForLock: true })
            {
                report.Line(stuck.WaitsForItself
                        ? "  When the checker stopped it, your step was waiting for a lock that another connection of your own step held:"
                        : "  When the checker stopped it, your step was waiting for a lock:")
                    .Evidence(stuck.Sessions, 4)
                    .Line(stuck.WaitsForItself
                        ? "  Neither can go on. Use one connection (and one transaction) per batch, and commit it before the next starts."
                        : "  Something else holds rows or tables your step needs (the checker cannot tell what).");
            }
            else if (stuck is { RecentCalls: > 0 } && (twice > 0 || last.Calls > 2 * scenario.Rows))
            {
                report.Line($"  It was still masking when the checker stopped it ({PlanText.Count(last.Calls)} calls of pseudonymize_email for {PlanText.Count(scenario.Rows)} rows,")
                    .Line($"  {PlanText.Count(stuck.RecentCalls)} in its last {stuck.RecentSeconds:0} s), and {PlanText.Count(twice)} rows were masked more than once: it masks the same")
                    .Line("  rows again and again. Does each batch start after the previous batch's last id (id > last, not id >= last),")
                    .Line("  and does the loop stop when a batch finds no row?");
            }
            else if (stuck is { RecentCalls: > 0 })
            {
                var rate = stuck.RecentCalls / stuck.RecentSeconds;
                report.Line($"  It was still working when the checker stopped it, at about {PlanText.Count((long)rate)} emails a second ({PlanText.Count(last.Calls)} so far")
                    .Line($"  for {PlanText.Count(scenario.Rows)} rows), and masked no row twice: it is slow rather than stuck. Mask a batch with one UPDATE")
                    .Line("  statement, not one statement per row.");
            }
            else
            {
                report.Line($"  It masked {PlanText.Count(last.Calls)} emails, then nothing more in its last seconds, and its sessions were not waiting for a lock:");
                report.Evidence(stuck?.Sessions.Count > 0 ? stuck.Sessions : ["(no session of your step was connected)"], 4)
                    .Line("  The checker cannot see what it waited for (a loop that never ends, a delay, something outside the database).");
            }

            return Fail(report);
        }

        var final = last.Counts;
        if (final.Sum(table => table.ChangedOtherwise) > 0)
        {
            return Fail(await MaskedMoreThanOnceAsync(report, runs, copy, cancellationToken));
        }

        if (final.Sum(table => table.Unmasked) > 0)
        {
            return Fail(await UnmaskedAsync(report, scenario, runs, copy, cancellationToken));
        }

        if (final.FirstOrDefault(table => table.Missing > 0 || table.Added > 0) is { } changedRows)
        {
            return Fail(report.Failure(changedRows.Missing > 0
                    ? $"{changedRows.Table} lost {PlanText.Count(changedRows.Missing)} of its rows."
                    : $"{changedRows.Table} has {PlanText.Count(changedRows.Added)} rows that were not in the source.")
                .Line("  The step masks emails; every row stays, under its id, and no row is added."));
        }

        var leaks = await copy.LeaksAsync(cancellationToken);
        if (leaks.Count > 0)
        {
            return Fail(report.Failure($"Every email column is masked, but real emails are still in the work copy: {PlanText.Count(leaks.Sum(leak => leak.Count))} of them.")
                .Evidence(leaks.Take(4).Select(leak => $"{leak.Where}: {PlanText.Count(leak.Count)} real emails, e.g. {leak.Example}"), 4)
                .Line("  The snapshot is taken of the whole work copy, every table and every column, as Snapshot.Job's tests scan a restored")
                .Line("  dump: a real email kept anywhere leaks with it. Record what is done by id, and keep nothing of the real value."));
        }

        if (last.ChangedOnFinishedCopy is { } changedByRerun and > 0)
        {
            return Fail(report.Failure($"Run 4, once more on the finished copy, changed {PlanText.Count(changedByRerun)} rows.")
                .Line("  A finished step that runs again (a retry, the next night's run resuming) must change nothing."));
        }

        if (runs[0].Outcome != RunOutcome.KilledInBatch || runs[1].Outcome != RunOutcome.KilledAfterCommit)
        {
            var missed = runs[0].Outcome != RunOutcome.KilledInBatch ? runs[0] : runs[1];
            return Fail(report.Failure($"Every email is masked once, but run {missed.Number} finished before the checker could crash it:")
                .Line($"  it called pseudonymize_email only {PlanText.Count(missed.Calls)} times, and the crash point was at email " +
                    $"{PlanText.Count(missed.Number == 1 ? scenario.SleepAt : scenario.ArmAt)}.")
                .Line("  The crash points live in pseudonymize_email(email): mask every email with it, in SQL."));
        }

        return new ScenarioResult(scenario, true, Story(scenario, runs), runs);
    }

    /// <summary>The pass: the story of the first dataset, the second one in a line, what was learned.</summary>
    public static Report Passed(ScenarioResult first, ScenarioResult second)
    {
        var scenario = first.Scenario;
        var report = new Report()
            .Success($"Every email is masked exactly once: {PlanText.Count(scenario.Customers)} customers and {PlanText.Count(scenario.Orders)} orders, after two crashes.")
            .Append(first.Report)
            .Success("No real email is left anywhere in the work copy (every table and column, and the schema's definitions, scanned),")
            .Line("  and every order still carries its customer's email: a join on email holds.")
            .Success($"Second dataset, {second.Scenario.Source.Description}: the same four runs, every email masked exactly once.");

        var firstRun = first.Runs[0];
        if (firstRun.Changed == 0)
        {
            report.Blank()
                .Warning($"Run 1 was killed after {PlanText.Count(firstRun.Calls)} emails, and none of them stayed masked: your step masks a whole table")
                .Line("  (or everything) in one transaction. That is correct, and simple: the crash rolled everything back, and the next")
                .Line("  run started clean. But all the work done until the crash is lost, and the transaction holds a lock on every row")
                .Line("  it touched until the end (and keeps VACUUM from cleaning up behind it). Batches that record their progress lose")
                .Line("  one batch at most, and hold their locks for a moment.");
        }

        return report.Blank()
            .Line("What you learned: a step that changes data in place cannot tell from the data what it already did. Masking")
            .Line("twice is not harmless: the pseudonym of a pseudonym is another value, and the snapshot's joins break. So the")
            .Line("step records how far it got in the same transaction as the work: both commit, or neither does. A crash then")
            .Line("loses at most the batch in progress, and any run, the first, a resumed one or a repeat, continues from the record.")
            .Line("The snapshot job does the same per table: services/Snapshot.Job/README.md, \"Resuming\".")
            .Line("Read more: https://www.postgresql.org/docs/current/tutorial-transactions.html,")
            .Line("  https://microservices.io/patterns/communication-style/idempotent-consumer.html");
    }

    private static async Task<Report> MaskedMoreThanOnceAsync(
        Report report, IReadOnlyList<StepRun> runs, WorkCopy copy, CancellationToken cancellationToken)
    {
        var final = runs[^1];
        var samples = new List<(RowSample Row, int? Times)>();
        foreach (var table in final.Counts.Where(table => table.ChangedOtherwise > 0))
        {
            foreach (var row in await copy.ChangedOtherwiseAsync(table.Table, 2, cancellationToken))
            {
                samples.Add((row, await copy.TimesMaskedAsync(row, cancellationToken)));
            }
        }

        var changed = Describe(final.Counts, table => table.ChangedOtherwise);
        var one = final.ChangedOtherwise == 1;
        if (samples.All(sample => sample.Times is null))
        {
            return report.Failure($"{changed} {(one ? "has an email" : "have emails")} that pseudonymize_email does not give:")
                .Evidence(samples.Select(sample => $"{sample.Row.Label}: {sample.Row.Source} became {sample.Row.Actual ?? "NULL"}"), 4)
                .Line("  Mask each email with the exercise's function, in SQL: SET email = pseudonymize_email(email). It uses the run's key,")
                .Line("  so the same email gets the same pseudonym in every table, and the checker's crash points are in it.");
        }

        report.Failure($"{changed} {(one ? "has its" : "have their")} email masked more than once:")
            .Evidence(samples.Select(sample => sample.Times is { } times
                ? $"{sample.Row.Label}: {sample.Row.Source} masked {Times(times)}"
                : $"{sample.Row.Label}: {sample.Row.Source} became {sample.Row.Actual ?? "NULL"}, which pseudonymize_email does not give"), 4)
            .Line("  The pseudonym of a pseudonym is another value: a row masked twice no longer matches the rest of the snapshot.");
        var brokenJoins = await copy.BrokenJoinsAsync(cancellationToken);
        if (brokenJoins > 0)
        {
            report.Line($"  {PlanText.Count(brokenJoins)} orders no longer carry their customer's email: a report that joins orders to customers on it loses them.");
        }

        var first = runs.First(run => run.ChangedOtherwise > 0);
        var before = first.Number > 1 ? runs[first.Number - 2] : null;
        switch (first.Number, before?.Outcome)
        {
            case (2, RunOutcome.KilledInBatch):
                report.Line($"  Run 2 started over: it masked again the {PlanText.Count(runs[0].Changed)} rows that run 1 had masked and committed before it was killed.");
                if (await copy.ProgressRowsAsync(cancellationToken) == 0)
                {
                    report.Line("  Nothing tells a new run where the last one stopped: a variable in RunAsync dies with the process. Record")
                        .Line("  how far each table got in masking_progress, in the same transaction as the batch, and start after it.");
                }
                else
                {
                    report.Line("  masking_progress has rows, but run 2 did not start after what they record: read the record first, and")
                        .Line("  write it in the same transaction as the batch it describes.");
                }

                break;
            case (3, RunOutcome.KilledAfterCommit) when await copy.ProgressRowsAsync(cancellationToken) == 0:
                report.Line("  Run 2 was killed just as a batch committed, before your code heard back. Run 3 masked those rows again:")
                    .Line("  nothing recorded that they were done (masking_progress is empty). Record how far each table got, in the")
                    .Line("  same transaction as the batch, and start each run after the record.");
                break;
            case (3, RunOutcome.KilledAfterCommit):
                report.Line("  Run 2 was killed just as a batch committed, before your code heard back. Run 3 masked that batch again:")
                    .Line("  its rows were masked, but your record of the progress did not say so. The record is written apart from the")
                    .Line("  batch (in another transaction, or in memory, or a file), and the crash fell in between. Write it in the same")
                    .Line("  transaction as the batch: both commit, or neither does.");
                break;
            case (4, _):
                report.Line($"  Run 4 ran your step once more on the finished copy, and it masked {PlanText.Count(first.ChangedOtherwise)} rows again.")
                    .Line("  A finished step must change nothing when it runs again (a retry, the next night's run resuming): keep the")
                    .Line("  record that the work is done, do not clear it at the end.");
                break;
            case (1, _):
                report.Line("  That happened within run 1, before any crash: some rows were masked twice by the same run. Does each batch")
                    .Line("  start after the last row of the previous one?");
                break;
            default:
                report.Line($"  The first rows masked twice appeared after run {first.Number}. Record what is done in the same transaction as")
                    .Line("  the batch, and start each run after the record.");
                break;
        }

        return report;
    }

    private static async Task<Report> UnmaskedAsync(
        Report report, MaskingScenario scenario, IReadOnlyList<StepRun> runs, WorkCopy copy, CancellationToken cancellationToken)
    {
        var final = runs[^1].Counts;
        report.Failure($"{Describe(final, table => table.Unmasked)} still {(final.Sum(table => table.Unmasked) == 1 ? "has its" : "have their")} real email: the snapshot would leak it.");
        var lookalikes = await copy.UnmaskedLookalikesAsync(Samples, cancellationToken);
        if (lookalikes.Count > 0)
        {
            return report.Evidence(lookalikes.Select(row => $"{row.Label}: {row.Source}"), 4)
                .Line("  These people signed up with addresses that look like pseudonyms (a tester pasting one from an old snapshot")
                .Line("  into production), and your step took them for masked. The data cannot tell you what was done to it: record")
                .Line("  what is done, in masking_progress, in the same transaction as the batch.");
        }

        foreach (var table in final.Where(table => table.Unmasked > 0))
        {
            report.Evidence((await copy.UnmaskedAsync(table.Table, 2, cancellationToken)).Select(row => $"{row.Label}: {row.Source}"), 4);
        }

        if (final.FirstOrDefault(table => table.Unmasked == (table.Table == "customers" ? scenario.Customers : scenario.Orders)) is { } untouched)
        {
            return report.Line($"  Your step never masks {untouched.Table}.email. Both tables hold customers' emails: mask customers, then orders.");
        }

        var ranges = await copy.UnmaskedRangesAsync(cancellationToken);
        var progress = await copy.ProgressRecordAsync(cancellationToken);
        report.Line("  The rows left unmasked, by id:")
            .Evidence(ranges.Select(range => $"{range.Table}: {PlanText.Count(range.Rows)} rows between id {PlanText.Count(range.First)} and {PlanText.Count(range.Last)}"), 4);
        if (progress.Count > 0)
        {
            report.Line("  masking_progress holds:").Evidence(progress, 4);
        }

        // The batch run 1 was masking when it was killed: the first unmasked rows after run 1, in one block.
        var stoppedIn = s_tables.FirstOrDefault(table => runs[0].FirstUnmasked.GetValueOrDefault(table) is not null);
        var inBatch = runs[0].Outcome == RunOutcome.KilledInBatch && ranges.Count == 1 && ranges[0].Table == stoppedIn
            && runs[0].FirstUnmasked.GetValueOrDefault(ranges[0].Table) == ranges[0].First
            && await copy.SourceRowsBetweenAsync(ranges[0].Table, ranges[0].First, ranges[0].Last, cancellationToken) == ranges[0].Rows;
        if (inBatch && progress.Count > 0)
        {
            return report.Line("  They are the batch run 1 was masking when it was killed, which rolled back. The restarted step went on after")
                .Line("  it: your record of the progress said it was done, so it was written apart from the batch (before it, in a")
                .Line("  transaction of its own). Write it in the same transaction as the batch: both commit, or neither does.");
        }

        if (inBatch)
        {
            return report.Line("  They are the batch run 1 was masking when it was killed, which rolled back, and the restarted step went on")
                .Line("  after it as if it were done. Whatever tells your step what is done must be saved in the same transaction as the batch.");
        }

        var skippedStart = ranges.FirstOrDefault(range => range.First == range.TableFirst);
        if (skippedStart.Table is not null && progress.Count > 0)
        {
            return report.Line($"  No run ever masked the first rows of {skippedStart.Table}: the step began {skippedStart.Table} after id {PlanText.Count(skippedStart.Last)}.")
                .Line($"  Does each table read its own record? A position saved for one table (or one record shared by both) means")
                .Line($"  nothing for the other: keep one masking_progress row per table_name, and start {skippedStart.Table} from its own.");
        }

        return report.Line("  The checker cannot tell why these were skipped: the runs above say when, the ranges which rows.");
    }

    /// <summary>What the checker did, run by run, with the state of the work copy after each.</summary>
    private static Report Story(MaskingScenario scenario, IReadOnlyList<StepRun> runs)
    {
        var report = new Report().Line($"  What the checker did ({PlanText.Count(scenario.Rows)} rows to mask):");
        foreach (var run in runs)
        {
            var what = (run.Number, run.Outcome) switch
            {
                (1, RunOutcome.KilledInBatch) => $"Started your step, and killed it in the middle of a batch (at its {Ordinal(scenario.SleepAt)} email).",
                (1, RunOutcome.Finished) => $"Started your step; it finished before its {Ordinal(scenario.SleepAt)} email, where the checker meant to kill it.",
                (2, RunOutcome.KilledAfterCommit) => $"Restarted it, and killed it just as a batch committed, before your code heard back (at its {Ordinal(scenario.ArmAt)} email).",
                (2, RunOutcome.Finished) => $"Restarted it; it finished before its {Ordinal(scenario.ArmAt)} email, where the checker meant to kill it.",
                (3, RunOutcome.Finished) => "Restarted it, and let it finish.",
                (4, RunOutcome.Finished) => "Ran it once more on the finished copy, as a retry or the next night's run would.",
                (_, RunOutcome.Crashed) => "Ran it; it stopped with an error.",
                (_, RunOutcome.TimedOut) => $"Ran it; it was still running after {CrashRuns.RunTimeout.TotalSeconds:0} s.",
                (_, RunOutcome.TableGone) => $"Ran it; afterwards table {run.GoneTable} was gone.",
                (_, var outcome) => $"{outcome}.",
            };
            report.Line($"    {run.Number}. {what}");
            if (run.Counts.Count > 0)
            {
                var twice = run.ChangedOtherwise > 0 ? $", {PlanText.Count(run.ChangedOtherwise)} more than once" : string.Empty;
                var unchanged = run.ChangedOnFinishedCopy switch
                {
                    0 => " (it changed nothing)",
                    { } rows => $" (it changed {PlanText.Count(rows)} rows)",
                    null => string.Empty,
                };
                report.Line($"       After it: {PlanText.Count(run.MaskedOnce)} rows masked once{twice}{unchanged}.");
            }
        }

        return report;
    }

    private static string Describe(IReadOnlyList<TableCounts> counts, Func<TableCounts, long> count)
    {
        var parts = counts.Where(table => count(table) > 0)
            .Select(table => $"{PlanText.Count(count(table))} {(count(table) == 1 ? table.Table.TrimEnd('s') : table.Table)}");
        return string.Join(" and ", parts);
    }

    private static string Times(int times) => times switch
    {
        1 => "once",
        2 => "twice",
        _ => $"{times} times",
    };

    private static string Ordinal(long value)
    {
        var suffix = (value % 100) is 11 or 12 or 13 ? "th" : (value % 10) switch
        {
            1 => "st",
            2 => "nd",
            3 => "rd",
            _ => "th",
        };
        return $"{PlanText.Count(value)}{suffix}";
    }
}
