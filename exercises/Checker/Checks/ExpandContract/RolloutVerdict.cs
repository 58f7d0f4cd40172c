using System.Globalization;
using Lab.Checker.Sql;
using Lab.Checker.Verification;

namespace Lab.Checker.Checks.ExpandContract;

/// <summary>
/// Reads one rollout of exercise 09 and says what went wrong first, in the learner's terms, with the timeline of the
/// steps against the two versions' errors and lock waits; or, for a pass, the timeline and the numbers.
/// </summary>
public static class RolloutVerdict
{
    public static Report? Failure(RolloutResult result)
    {
        var problem = FirstProblem(result);
        return problem?.Blank().Append(Timeline(result));
    }

    public static Report Passed(RolloutResult first, RolloutResult second)
    {
        var ops = first.N.Ops.Count + first.NPlus1.Ops.Count;
        var backfill = first.Entries.First(entry => entry.Step?.File == ExpandContractCheck.Files[1]).Step!;
        var longest = first.Waits.Longest(TimeSpan.Zero, TimeSpan.MaxValue)?.Waited ?? TimeSpan.Zero;
        return new Report()
            .Success($"{PlanText.Count(ops)} queries of N and N+1 through every step, the rollback and the roll forward: no error, no read that")
            .Line($"  disagreed with the last write, no write lost ({PlanText.Count(first.N.Ops.Count)} of N, {PlanText.Count(first.NPlus1.Ops.Count)} of N+1).")
            .Success($"The backfill: {PlanText.Count(backfill.Runs)} run{(backfill.Runs == 1 ? string.Empty : "s")}{(backfill.RowsChanged > 0 ? $", {PlanText.Count(backfill.RowsChanged)} rows" : string.Empty)}; " +
                $"the longest any query waited for a lock was {PlanText.Milliseconds(longest.TotalMilliseconds)}")
            .Line($"  (a full read of the table takes {PlanText.Milliseconds(first.TableScan.TotalMilliseconds)}).")
            .Success("After the contract step users has name, NOT NULL, and no display_name: N+1's table.")
            .Append(Timeline(first))
            .Success($"Second dataset, {second.Scenario.Data.Description}: the same rollout, no error, nothing lost or stalled.")
            .Blank()
            .Line("What you learned: during a rolling update two versions of the code share one database, and a rollback brings")
            .Line("the old one back. So a rename is several releases: expand (add name, keep both columns in sync with a trigger")
            .Line("that copies in both directions), backfill in small batches (each holds its row locks for a moment), switch")
            .Line("(name becomes required, checked without a long lock), and contract (drop display_name and the trigger) only")
            .Line("once no running version, and no version you might roll back to, reads the old column.")
            .Line("Read more: https://www.postgresql.org/docs/current/explicit-locking.html,")
            .Line("  https://martinfowler.com/bliki/ParallelChange.html,")
            .Line("  https://docs.gitlab.com/development/database/avoiding_downtime_in_migrations/");
    }

    private static Report? FirstProblem(RolloutResult result)
    {
        var firstError = result.N.Errors.Concat(result.NPlus1.Errors).MinBy(error => error.At);
        var firstDivergence = result.N.Divergences.Concat(result.NPlus1.Divergences).MinBy(divergence => divergence.At);
        var failedStep = result.Entries.Select(entry => entry.Step).FirstOrDefault(step => step?.Error is not null);

        if (failedStep is not null && (firstError is null || failedStep.Start < firstError.At) && (firstDivergence is null || failedStep.Start < firstDivergence.At))
        {
            return new Report().Failure($"{failedStep.File} did not run:").Evidence([failedStep.Error!], 2)
                .Line("  The checker rebuilds the table before each run, so you can fix the file and verify again.");
        }

        if (firstError is not null && (firstDivergence is null || firstError.At <= firstDivergence.At))
        {
            return ErrorReport(result, firstError);
        }

        if (firstDivergence is not null)
        {
            return DivergenceReport(result, firstDivergence);
        }

        if (result.Entries.Select(entry => entry.Step).FirstOrDefault(step => step?.Endless == true) is { } endless)
        {
            return new Report()
                .Failure($"{endless.File} never finished: after {PlanText.Count(endless.Runs)} runs it still changed rows ({PlanText.Count(endless.RowsChanged)} in all).")
                .Line("  The runner repeats the backfill until a run changes no row. Each run must take rows that still need it")
                .Line("  (WHERE name IS NULL), or the same rows are \"changed\" again and again.");
        }

        if (Stall(result) is { } stall)
        {
            return stall;
        }

        if (result.Final is { } final && FinalStateProblem(final) is { } finalProblem)
        {
            return finalProblem;
        }

        if (result.LostWrites.Count > 0)
        {
            var (user, actual, expected) = result.LostWrites[0];
            return new Report()
                .Failure($"{PlanText.Count(result.LostWrites.Count)} acknowledged writes are lost: after the last step the users do not have the name they were given.")
                .Evidence([$"user {user}: {(expected.WrittenBy is { } by ? $"{VersionLoops.Label(by)} wrote '{expected.Value}' at {Seconds(expected.At)}" : $"'{expected.Value}'")}, the table says {Quote(actual)}"], 4)
                .Line("  Every write either version made must end up in name: keep the columns in sync until the contract step,")
                .Line("  and let the backfill copy only rows whose name is still empty.");
        }

        if (result.Untouched.Missing > 0 || result.Untouched.Wrong > 0)
        {
            return new Report()
                .Failure(result.Untouched.Missing > 0
                    ? $"{PlanText.Count(result.Untouched.Missing)} users are gone after the last step."
                    : $"{PlanText.Count(result.Untouched.Wrong)} users that nobody wrote during the rollout do not have their display name as name (user {result.Untouched.FirstWrong}, for one).")
                .Line(result.Untouched.Missing > 0
                    ? "  A rename keeps every row."
                    : "  The backfill must copy display_name into name for every row that existed before the expand step.");
        }

        return null;
    }

    private static Report ErrorReport(RolloutResult result, LoopError error)
    {
        var entry = EntryAt(result, error.At);
        var version = VersionLoops.Label(error.Version);
        var where = entry.Step is not null ? $"while {entry.Label} ran (or right after it)" : $"during \"{entry.Label}\"";
        var count = (error.Version == AppVersion.N ? result.N : result.NPlus1).Errors.Count;
        var report = new Report()
            .Failure($"Version {version} failed {where}: {count}{(count >= 200 ? "+" : string.Empty)} of its queries failed.")
            .Evidence([$"{error.Operation} at {Seconds(error.At)}: {error.Message}"], 4);
        var missingColumn = error.Message.Contains("does not exist", StringComparison.Ordinal) && error.Message.Contains("column", StringComparison.Ordinal);
        var notNull = error.Message.Contains("violates not-null constraint", StringComparison.Ordinal);
        if (error.Version == AppVersion.N && missingColumn && entry.Step?.File == ExpandContractCheck.Files[0])
        {
            return report
                .Line("  N still reads and writes display_name. A RENAME COLUMN is one quick statement for the database and a breaking")
                .Line("  change for every instance of N that is still running (during a rolling update, all of them at first). Expand")
                .Line("  instead: add name beside display_name and keep the two in sync; remove display_name only in the contract step.");
        }

        if (error.Version == AppVersion.N && missingColumn)
        {
            return report
                .Line(entry.Label.StartsWith("rollback", StringComparison.Ordinal)
                    ? "  The rollback brought N back, and N's column is gone. Until the contract step, nothing may take away what N uses:"
                    : "  N still serves at this point, and its column is gone. Contract (drop display_name) only in 4-contract.sql,")
                .Line(entry.Label.StartsWith("rollback", StringComparison.Ordinal)
                    ? "  the contract step runs once N is gone for good, and no rollback to it is possible any more."
                    : "  which runs once no instance of N is left, and no rollback to N is possible any more.");
        }

        if (error.Version == AppVersion.NPlus1 && missingColumn)
        {
            return report
                .Line("  N+1 starts after 3-switch.sql and reads and writes users.name: by then name must exist, filled for every row.")
                .Line("  Add it in 1-expand.sql, fill it in 2-backfill.sql.");
        }

        if (notNull && error.Version == AppVersion.N)
        {
            return report
                .Line("  N creates users with display_name only. Your trigger must fill name on INSERT too (from display_name), or")
                .Line("  N's signups fail as soon as name is required.");
        }

        if (notNull && error.Version == AppVersion.NPlus1)
        {
            return report
                .Line("  N+1 creates users with name only, while display_name is still NOT NULL. Your trigger must fill display_name")
                .Line("  on INSERT too (from name): N reads it, and a rollback to N must find every user's name there.");
        }

        if (error.Message.Contains("statement timeout", StringComparison.Ordinal) || error.Message.Contains("lock timeout", StringComparison.Ordinal))
        {
            return report.Line("  A query of the service waited for one of your steps' locks until it gave up.");
        }

        return report.Line($"  Every step must leave the table usable by every version that runs at that point ({Running(entry)}).");
    }

    private static Report DivergenceReport(RolloutResult result, Divergence divergence)
    {
        var entry = EntryAt(result, divergence.At);
        var reader = VersionLoops.Label(divergence.Version);
        var column = divergence.Version == AppVersion.N ? "display_name" : "name";
        var count = result.N.Divergences.Count + result.NPlus1.Divergences.Count;
        var report = new Report()
            .Failure($"Version {reader} read values that disagree with the last acknowledged write ({count}{(count >= 200 ? "+" : string.Empty)} such reads; the first during \"{entry.Label}\"):")
            .Evidence([
                $"user {divergence.User}: {(divergence.WrittenBy is { } by ? $"{VersionLoops.Label(by)} wrote '{divergence.Expected}' at {Seconds(divergence.WrittenAt)}" : $"the table had '{divergence.Expected}'")}",
                $"  {reader} read {column} = {Quote(divergence.Got)} at {Seconds(divergence.At)}",
            ], 4);
        if (divergence.Got is null && divergence.Version == AppVersion.NPlus1 && divergence.WrittenBy is null)
        {
            return report
                .Line("  N+1 found an empty name for a user nobody had touched: the backfill had not filled every row before N+1")
                .Line("  started. 2-backfill.sql must leave no row with an empty name (the runner repeats it until a run changes none).");
        }

        if (divergence.Got is null && divergence.WrittenBy == AppVersion.N)
        {
            return report
                .Line("  N wrote display_name, and name stayed empty: your trigger copies only one way, or not on INSERT.");
        }

        if (divergence.WrittenBy is { } writer && writer != divergence.Version)
        {
            var (from, to) = writer == AppVersion.N ? ("display_name", "name") : ("name", "display_name");
            return report
                .Line($"  {VersionLoops.Label(writer)} wrote {from}, and {to} did not follow: your trigger copies only one way. While both columns")
                .Line($"  exist, a write to either must reach the other, on INSERT and on UPDATE: N+1 must see N's writes during the")
                .Line($"  rolling update, and after a rollback N must see what N+1 wrote.");
        }

        return report.Line("  A write was acknowledged and a later read did not return it: does a step (or the trigger) overwrite values?");
    }

    private static Report? Stall(RolloutResult result)
    {
        var threshold = result.TableScan * ExpandContractCheck.StallFactor;
        foreach (var entry in result.Entries.Where(entry => entry.Step is not null))
        {
            // A stall: one lock held for much of the step, and for several times what a full read of the table takes.
            if (result.Waits.Longest(entry.Start, entry.End) is not { } wait || wait.Waited < threshold
                || wait.Waited < entry.Step!.Duration * ExpandContractCheck.StallShare)
            {
                continue;
            }

            var step = entry.Step!;
            var report = new Report()
                .Failure($"While {step.File} ran, a query of the service waited {PlanText.Milliseconds(wait.Waited.TotalMilliseconds)} for a lock:")
                .Evidence([
                    $"a full read of users takes {PlanText.Milliseconds(result.TableScan.TotalMilliseconds)} here; the step took {PlanText.Milliseconds(step.Duration.TotalMilliseconds)}" +
                    (step.Runs > 1 ? $" in {PlanText.Count(step.Runs)} runs" : string.Empty),
                ], 4);
            if (step.File == ExpandContractCheck.Files[1] && step.Runs <= 2)
            {
                return report
                    .Line("  The backfill updated every row in one statement: it locks each row it updates until it commits, so every")
                    .Line("  write of the service to a row it had reached waited for the whole backfill. On a big table that is minutes of")
                    .Line("  failing requests. Update a batch of a few thousand rows per run (the runner repeats the file until a run")
                    .Line("  changes no row): each batch holds its locks for a moment.");
            }

            if (step.File == ExpandContractCheck.Files[1])
            {
                return report
                    .Line($"  Your batches are too big: each holds its row locks until it commits. {PlanText.Count(step.RowsChanged / Math.Max(1, step.Runs - 1))} rows a batch;")
                    .Line("  a few thousand keep every wait short.");
            }

            return report
                .Line($"  Something in {step.File} held a lock on users for a long time: a statement that rewrites or scans the whole")
                .Line("  table under an exclusive lock (ALTER COLUMN ... TYPE, ADD COLUMN with a volatile default, SET NOT NULL on a")
                .Line("  big table), or an UPDATE of every row. Expand with quick catalog changes, move data in batches, and validate")
                .Line("  constraints with ADD CONSTRAINT ... NOT VALID followed by VALIDATE CONSTRAINT, which lets writes through.");
        }

        return null;
    }

    private static Report? FinalStateProblem(FinalState final)
    {
        if (!final.HasName)
        {
            return new Report().Failure("After the last step users has no column name: N+1's table needs it.");
        }

        if (final.HasDisplayName)
        {
            return new Report().Failure("After 4-contract.sql, users still has display_name.")
                .Line("  The contract step removes what only N used, once N is gone: the old column, and the trigger that kept it in")
                .Line("  sync (drop the trigger first).");
        }

        if (!final.NameNotNull)
        {
            return new Report().Failure("After the last step, users.name accepts NULL, where display_name did not.")
                .Line("  A rename keeps the column's rules. Make name NOT NULL in 3-switch.sql, once every row is filled; on a big")
                .Line("  table without a long lock: ADD CONSTRAINT ... CHECK (name IS NOT NULL) NOT VALID, then VALIDATE CONSTRAINT.");
        }

        return null;
    }

    /// <summary>The steps against the two versions' queries, errors and lock waits.</summary>
    private static Report Timeline(RolloutResult result)
    {
        var report = new Report().Line($"  The rollout on {result.Scenario.Data.Description} (times from the start; waits are lock waits):");
        foreach (var entry in result.Entries)
        {
            var label = entry.Step is { } step
                ? $"{entry.Label} ({(step.Runs > 1 ? $"{PlanText.Count(step.Runs)} runs, " : string.Empty)}{PlanText.Milliseconds(step.Duration.TotalMilliseconds)}{(step.Error is null ? string.Empty : ", failed")})"
                : entry.Label;
            var wait = result.Waits.Longest(entry.Start, entry.End);
            var versions = new[] { result.N, result.NPlus1 }
                .Select(loops => Activity(loops, entry))
                .Where(text => text is not null);
            report.Line($"    {Seconds(entry.Start),7}  {label,-44} {string.Join(" · ", versions)}" +
                (wait is null ? string.Empty : $" · longest wait {PlanText.Milliseconds(wait.Waited.TotalMilliseconds)}"));
        }

        return report;
    }

    private static string? Activity(VersionLoops loops, RolloutEntry entry)
    {
        var ops = loops.Ops.Count(op => op.At >= entry.Start && op.At < entry.End);
        var errors = loops.Errors.Count(error => error.At >= entry.Start && error.At < entry.End);
        var divergences = loops.Divergences.Count(divergence => divergence.At >= entry.Start && divergence.At < entry.End);
        if (ops == 0)
        {
            return null;
        }

        var label = VersionLoops.Label(loops.Version);
        var problems = (errors > 0 ? $", {PlanText.Count(errors)} failed" : string.Empty) + (divergences > 0 ? $", {PlanText.Count(divergences)} stale reads" : string.Empty);
        return $"{label}: {PlanText.Count(ops)} queries{problems}";
    }

    private static RolloutEntry EntryAt(RolloutResult result, TimeSpan at) =>
        result.Entries.LastOrDefault(entry => entry.Start <= at) ?? result.Entries[0];

    private static string Running(RolloutEntry entry) =>
        entry.N && entry.NPlus1 ? "N and N+1" : entry.N ? "N" : "N+1";

    private static string Quote(string? value) => value is null ? "NULL" : $"'{value}'";

    private static string Seconds(TimeSpan value) => $"{value.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s";
}
