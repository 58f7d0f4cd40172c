using System.Diagnostics;
using Lab.Checker.Processes;
using Lab.Checker.Verification;

namespace Lab.Checker.Checks.ResumableJob;

public enum RunOutcome
{
    /// <summary>Killed while pseudonymize_email hung at the crash point: the batch in progress rolled back.</summary>
    KilledInBatch,

    /// <summary>Died as the transaction holding the crash point committed, before the step heard back.</summary>
    KilledAfterCommit,

    /// <summary>RunAsync returned.</summary>
    Finished,

    /// <summary>The learner's code threw.</summary>
    Crashed,

    /// <summary>Still running when the checker gave up on it.</summary>
    TimedOut,

    /// <summary>The step dropped or renamed customers or orders.</summary>
    TableGone,
}

/// <summary>One run of the step and the state of the work copy after it.</summary>
/// <param name="ChangedOnFinishedCopy">Run 4 only: how many rows it changed, on a copy the step had finished.</param>
public sealed record StepRun(
    int Number, RunOutcome Outcome, string Errors, long Calls, IReadOnlyList<TableCounts> Counts, string? GoneTable = null, long? ChangedOnFinishedCopy = null)
{
    /// <summary>Per table, the first id still unmasked after this run (null: none): where the run stopped.</summary>
    public IReadOnlyDictionary<string, long?> FirstUnmasked { get; init; } = new Dictionary<string, long?>();

    /// <summary>For a run that timed out: what the checker saw when it gave up on it.</summary>
    public StuckEvidence? Stuck { get; init; }

    public long Changed => Counts.Sum(table => table.Changed);

    public long ChangedOtherwise => Counts.Sum(table => table.ChangedOtherwise);

    public long MaskedOnce => Counts.Sum(table => table.MaskedOnce);
}

/// <summary>What a run that did not finish was doing at the end: emails masked in its last seconds, and its sessions.</summary>
/// <param name="RecentCalls">pseudonymize_email calls in the last <paramref name="RecentSeconds"/> seconds before the timeout.</param>
/// <param name="Sessions">One line per session of the step: state, wait, blocked by.</param>
/// <param name="WaitsForItself">A session of the step waits for a lock that another session of the step holds.</param>
/// <param name="WaitsForLock">A session of the step waits for a lock.</param>
public sealed record StuckEvidence(long RecentCalls, double RecentSeconds, IReadOnlyList<string> Sessions, bool WaitsForItself, bool WaitsForLock);

/// <summary>
/// The four runs of exercise 07's step on one dataset: (1) killed in the middle of a batch, (2) restarted and killed
/// just as a batch commits, (3) restarted and left to finish, (4) run once more on the finished copy, as a rerun of a
/// nightly job does. The state of the copy is read after each run, so a verdict can say which run went wrong.
/// </summary>
public sealed class CrashRuns(CheckContext context, string assemblyPath, MaskingScenario scenario, WorkCopy copy)
{
    public static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(30);

    public async Task<IReadOnlyList<StepRun>> RunAsync(string label, CancellationToken cancellationToken)
    {
        var runs = new List<StepRun>();
        for (var number = 1; number <= 4; number++)
        {
            context.Status(number switch
            {
                1 => $"{label}: run 1, your step, killed in the middle of a batch...",
                2 => $"{label}: run 2, restarted, killed as a batch commits...",
                3 => $"{label}: run 3, restarted, to the end...",
                _ => $"{label}: run 4, once more on the finished copy...",
            });
            if (number == 4)
            {
                await copy.SnapshotFinishedAsync(cancellationToken);
            }

            var run = await RunOnceAsync(number, number == 1 ? scenario.SleepAt : 0, number == 2 ? scenario.ArmAt : 0, cancellationToken);
            runs.Add(run);
            if (run.Outcome is RunOutcome.Crashed or RunOutcome.TimedOut or RunOutcome.TableGone || (number == 3 && run.Outcome != RunOutcome.Finished))
            {
                break;
            }
        }

        return runs;
    }

    private async Task<StepRun> RunOnceAsync(int number, long sleepAt, long armAt, CancellationToken cancellationToken)
    {
        await copy.RestartCallCountAsync(cancellationToken);
        await using var sessions = await context.Infrastructure.LabDb.OpenConnectionAsync(cancellationToken);
        using var process = StepHost.Start(
            assemblyPath, scenario.Schema, sleepAt, armAt, context.Infrastructure.LabDbConnectionString(StepHost.ApplicationName));
        var clock = Stopwatch.StartNew();
        var samples = new Queue<(TimeSpan At, long Calls)>();
        StuckEvidence? stuck = null;
        RunOutcome outcome;
        while (true)
        {
            if (await process.WaitAsync(TimeSpan.FromMilliseconds(100)))
            {
                outcome = process.Errors.Contains(StepHost.KilledAfterCommit, StringComparison.Ordinal) ? RunOutcome.KilledAfterCommit
                    : process.ExitCode == 0 ? RunOutcome.Finished
                    : RunOutcome.Crashed;
                break;
            }

            if (sleepAt > 0 && await ChildProcessSessions.SleepingAsync(sessions, StepHost.ApplicationName, cancellationToken))
            {
                await process.KillAsync();
                outcome = RunOutcome.KilledInBatch;
                break;
            }

            if (samples.Count == 0 || clock.Elapsed - samples.Last().At > TimeSpan.FromSeconds(1))
            {
                samples.Enqueue((clock.Elapsed, await copy.CallsAsync(cancellationToken)));
                while (samples.Count > 4)
                {
                    samples.Dequeue();
                }
            }

            if (clock.Elapsed > RunTimeout)
            {
                stuck = await StuckAsync(samples, cancellationToken);
                outcome = RunOutcome.TimedOut;
                break;
            }
        }

        await process.KillAsync();
        await ChildProcessSessions.EndAsync(sessions, StepHost.ApplicationName, cancellationToken);
        var errors = outcome == RunOutcome.Crashed ? ExitReason(process) : string.Empty;
        var calls = await copy.CallsAsync(cancellationToken);
        if (await copy.MissingTableAsync(cancellationToken) is { } gone)
        {
            return new StepRun(number, RunOutcome.TableGone, errors, calls, [], gone);
        }

        var changedOnFinishedCopy = number == 4 ? await copy.ChangedSinceFinishedAsync(cancellationToken) : (long?)null;
        return new StepRun(number, outcome, errors, calls, await copy.CountAsync(cancellationToken), null, changedOnFinishedCopy)
        {
            FirstUnmasked = number == 1 ? await copy.FirstUnmaskedAsync(cancellationToken) : new Dictionary<string, long?>(),
            Stuck = stuck,
        };
    }

    /// <summary>Before the checker kills a run that took too long: how fast it still masked, and what its sessions wait for.</summary>
    private async Task<StuckEvidence> StuckAsync(Queue<(TimeSpan At, long Calls)> samples, CancellationToken cancellationToken)
    {
        var now = (At: RunTimeout, Calls: await copy.CallsAsync(cancellationToken));
        var oldest = samples.Count > 0 ? samples.Peek() : now;
        var sessions = await copy.StepSessionsAsync(cancellationToken);
        var pids = sessions.Select(session => session.Pid).ToHashSet();
        var lines = sessions.Select(session =>
            $"session {session.Pid}: {(session.State.Length > 0 ? session.State : "?")}" +
            (session.WaitType is null ? string.Empty : $", waiting ({session.WaitType}: {session.Wait})") +
            (session.BlockedBy.Length == 0 ? string.Empty : $", blocked by {string.Join(", ", session.BlockedBy.Select(pid => pids.Contains(pid) ? $"its own session {pid}" : $"session {pid}"))}") +
            (session.Query.Length > 0 ? $": {session.Query.ReplaceLineEndings(" ")}" : string.Empty)).ToList();
        return new StuckEvidence(
            now.Calls - oldest.Calls,
            Math.Max(0.5, (now.At - oldest.At).TotalSeconds),
            lines,
            sessions.Any(session => session.BlockedBy.Any(pids.Contains)),
            sessions.Any(session => session.WaitType == "Lock"));
    }

    private static string ExitReason(CheckerChildProcess process) =>
        process.Errors.Length > 0 ? process.Errors : $"The process exited with code {process.ExitCode}.";
}
