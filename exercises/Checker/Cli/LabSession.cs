using Lab.Checker.Infrastructure;
using Lab.Checker.Manifest;
using Lab.Checker.Progress;
using Lab.Checker.Verification;

namespace Lab.Checker.Cli;

/// <summary>What every command works with: the paths, the manifest, the progress file, the console.</summary>
public sealed class LabSession
{
    public LabSession(LabPaths paths, LabConsole console)
    {
        Paths = paths;
        Console = console;
        Manifest = ExerciseManifest.Load(paths.ExercisesDirectory);
        Progress = ProgressStore.Load(paths.ProgressFile);
    }

    public LabPaths Paths { get; }

    public LabConsole Console { get; }

    public ExerciseManifest Manifest { get; }

    public ProgressStore Progress { get; }

    /// <summary>The first exercise not passed yet; null when all are done.</summary>
    public Exercise? Current => Manifest.Exercises.FirstOrDefault(exercise => !Progress.IsPassed(exercise.Slug));

    public Exercise Exercise(int number) =>
        Manifest.Find(number) ?? throw new LabUsageException(
            $"There is no exercise {number}: they are numbered {Manifest.Exercises[0].Number} to {Manifest.Exercises[^1].Number} ({LabCommand.Of("list")} shows them).");

    public LabInfrastructure OpenInfrastructure() => LabInfrastructure.FromRepository(Paths.RepositoryRoot);

    /// <summary>Runs the check of <paramref name="exercise"/> on the learner's folder, prints it and records progress.</summary>
    public async Task<Verdict> VerifyAsync(Exercise exercise, CancellationToken cancellationToken)
    {
        await using var infrastructure = OpenInfrastructure();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var lastNote = TimeSpan.Zero;
        void Status(string text)
        {
            lastNote = clock.Elapsed;
            Console.Note($"[{clock.Elapsed.TotalSeconds,3:0} s] {text}");
        }

        // A long step prints nothing for a while: on a terminal, say that the check is still running.
        using var heartbeat = Console.Interactive
            ? new Timer(_ =>
            {
                if (clock.Elapsed - lastNote > TimeSpan.FromSeconds(5))
                {
                    lastNote = clock.Elapsed;
                    Console.Note($"[{clock.Elapsed.TotalSeconds,3:0} s] ... still checking");
                }
            }, null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1))
            : null;
        Status($"Checking {exercise.Id} · {exercise.Title}...");
        var verdict = await ExerciseVerifier.VerifyAsync(
            exercise, Manifest.DirectoryOf(exercise), infrastructure, Status, cancellationToken);
        heartbeat?.Dispose();
        Console.Note($"[{clock.Elapsed.TotalSeconds,3:0} s] Done.");
        ReportRenderer.Write(verdict.Report, Console);
        if (verdict.Outcome == Outcome.NotRun)
        {
            return verdict;
        }

        Progress.RecordRun(exercise.Slug, verdict.Passed, DateTimeOffset.UtcNow);
        Progress.Save();
        if (verdict.Passed)
        {
            var next = Manifest.Exercises.FirstOrDefault(candidate => candidate.Number > exercise.Number);
            var done = new Report();
            done.Muted(next is null
                ? "That was the last exercise. Well done."
                : $"Next: {next.Id} · {next.Title} — read exercises/{next.Folder}/README.md, then {LabCommand.Of($"verify {next.Number}")}.");
            ReportRenderer.Write(done, Console);
        }

        return verdict;
    }
}
