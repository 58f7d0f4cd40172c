using Lab.Checker.Manifest;
using Lab.Checker.Verification;

namespace Lab.Checker.Cli;

/// <summary>The commands behind ./lab; each returns the process exit code.</summary>
public static class Commands
{
    public static int List(LabSession session)
    {
        var current = session.Current;
        var done = session.Manifest.Exercises.Count(exercise => session.Progress.IsPassed(exercise.Slug));
        var report = new Report().Heading($"Backend Sandbox exercises: {done} of {session.Manifest.Exercises.Count} done").Blank();
        var width = session.Manifest.Exercises.Max(exercise => exercise.Title.Length);
        foreach (var exercise in session.Manifest.Exercises)
        {
            var passed = session.Progress.IsPassed(exercise.Slug);
            var isCurrent = exercise == current;
            var line = $"{(isCurrent ? ">" : " ")} {exercise.Id}  {exercise.Title.PadRight(width)}  {(passed ? "done" : isCurrent ? "current" : "pending")}";
            _ = passed ? report.Success(line[2..]) : isCurrent ? report.Line(line) : report.Muted(line);
        }

        report.Blank();
        report.Line(current is null
            ? "All done. Each exercise's README lists further reading."
            : $"Current: {current.Id} · {current.Title}. Read exercises/{current.Folder}/README.md, then {LabCommand.Of($"verify {current.Number}")} (or {LabCommand.Of("watch")}).");
        ReportRenderer.Write(report, session.Console);
        return LabApp.Passed;
    }

    public static async Task<int> VerifyAsync(LabSession session, int number, CancellationToken cancellationToken)
    {
        var verdict = await session.VerifyAsync(session.Exercise(number), cancellationToken);
        return verdict.ExitCode;
    }

    public static Task<int> WatchAsync(LabSession session, int? number, CancellationToken cancellationToken) =>
        new Watcher(session).RunAsync(number is null ? session.Current : session.Exercise(number.Value), cancellationToken);

    public static int Hint(LabSession session, int number) => Hint(session, number, inWatch: false);

    /// <summary>One more hint; inside watch, the next one is a key press away, not a command.</summary>
    public static int Hint(LabSession session, int number, bool inWatch)
    {
        var exercise = session.Exercise(number);
        var revealed = session.Progress.RevealHint(exercise.Slug, exercise.Hints.Count);
        session.Progress.Save();
        var report = new Report().Heading($"{exercise.Id} · {exercise.Title}: hint {revealed} of {exercise.Hints.Count}").Blank();
        for (var i = 0; i < revealed; i++)
        {
            var lines = exercise.Hints[i].Split('\n').SelectMany(line => line.StartsWith(' ') ? [line] : Wrap(line, 96)).ToList();
            report.Line($"{i + 1}. {lines[0]}");
            foreach (var line in lines.Skip(1))
            {
                report.Line(line, 3);
            }
        }

        report.Blank().Muted((revealed < exercise.Hints.Count, inWatch) switch
        {
            (true, true) => "Press h again for the next one.",
            (true, false) => $"{LabCommand.Of($"hint {exercise.Number}")} again shows the next one.",
            (false, true) => $"That was the last hint. {LabCommand.Of($"solution {exercise.Number} --yes")} (in another terminal) shows the reference solution.",
            (false, false) => $"That was the last hint. {LabCommand.Of($"solution {exercise.Number} --yes")} shows the reference solution.",
        });
        ReportRenderer.Write(report, session.Console);
        return LabApp.Passed;
    }

    public static async Task<int> ResetAsync(LabSession session, int number, CancellationToken cancellationToken)
    {
        var exercise = session.Exercise(number);
        var report = new Report().Heading($"{exercise.Id} · {exercise.Title}: reset").Blank();
        var backup = Path.Combine(session.Paths.RepositoryRoot, ".sandbox", "lab-backups", exercise.Slug, DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture));
        foreach (var file in exercise.Files)
        {
            var target = Path.Combine(session.Manifest.DirectoryOf(exercise), file);
            var starter = Path.Combine(session.Manifest.StarterDirectoryOf(exercise), file);
            if (File.Exists(target) && !FilesEqual(target, starter))
            {
                Directory.CreateDirectory(backup);
                File.Copy(target, Path.Combine(backup, file), overwrite: true);
                report.Muted($"your version is kept in {Path.GetRelativePath(session.Paths.RepositoryRoot, Path.Combine(backup, file)).Replace('\\', '/')}");
            }

            File.Copy(starter, target, overwrite: true);
            report.Success($"{exercise.DisplayPath(file)} is the starter file again.");
        }

        var before = session.Progress.For(exercise.Slug);
        session.Progress.Forget(exercise.Slug);
        session.Progress.Save();
        if (before.PassedAt is not null || before.HintsRevealed > 0 || before.LastRunAt is not null)
        {
            var what = new List<string>();
            if (before.PassedAt is not null)
            {
                what.Add("its done mark");
            }

            if (before.HintsRevealed > 0)
            {
                what.Add($"the {before.HintsRevealed} hint{(before.HintsRevealed == 1 ? string.Empty : "s")} you had seen");
            }

            if (what.Count == 0)
            {
                what.Add("its last result");
            }

            report.Success($"Your progress on {exercise.Id} is cleared: {string.Join(" and ", what)} ({LabCommand.Of("list")} shows it as not done).");
        }
        await using var infrastructure = session.OpenInfrastructure();
        var (done, message) = await ExerciseVerifier.ResetAsync(exercise, session.Manifest.DirectoryOf(exercise), infrastructure, session.Console.Note, cancellationToken);
        if (!done)
        {
            report.Warning($"The infrastructure state was not reset: {message}.")
                .Line($"  Start it with `{Infrastructure.LabConnections.StartCommand}`; verify resets it before each check anyway.");
            ReportRenderer.Write(report, session.Console);
            return LabApp.Usage;
        }

        report.Success(message);
        ReportRenderer.Write(report, session.Console);
        return LabApp.Passed;
    }

    public static int Solution(LabSession session, int number, bool confirmed)
    {
        var exercise = session.Exercise(number);
        if (!session.Progress.IsPassed(exercise.Slug) && !confirmed)
        {
            if (session.Console.Interactive)
            {
                session.Console.Out.Write($"You have not passed {exercise.Id} yet. Show the solution anyway? [y/N] ");
                confirmed = session.Console.In.ReadLine()?.Trim().StartsWith('y') == true;
            }

            if (!confirmed)
            {
                var seen = session.Progress.For(exercise.Slug).HintsRevealed;
                session.Console.Out.WriteLine(
                    $"Not shown: you have not passed {exercise.Id} yet, and the solution gives the answer away (it is shown after a pass).");
                session.Console.Out.WriteLine(seen < exercise.Hints.Count
                    ? $"{LabCommand.Of($"hint {exercise.Number}")} gives a hint ({seen} of {exercise.Hints.Count} seen so far); {LabCommand.Of($"solution {exercise.Number} --yes")} shows the solution anyway."
                    : $"You have seen all {exercise.Hints.Count} hints: {LabCommand.Of($"solution {exercise.Number} --yes")} shows the solution anyway.");
                return LabApp.Failed;
            }
        }

        var report = new Report().Heading($"{exercise.Id} · {exercise.Title}: reference solution").Blank();
        foreach (var file in exercise.Files)
        {
            var path = Path.Combine(session.Manifest.SolutionDirectoryOf(exercise), file);
            report.Muted($"exercises/{exercise.Solution}/{file}:").Evidence(File.ReadAllText(path).TrimEnd().Split('\n'), 2).Blank();
        }

        report.Muted("Other answers can pass too: the checker judges the plan and the behaviour, not the text.");
        ReportRenderer.Write(report, session.Console);
        return LabApp.Passed;
    }

    /// <summary>Prose broken at spaces into lines of at most <paramref name="width"/> characters.</summary>
    public static IEnumerable<string> Wrap(string text, int width)
    {
        var line = new System.Text.StringBuilder();
        foreach (var word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString();
                line.Clear();
            }

            line.Append(line.Length > 0 ? " " : string.Empty).Append(word);
        }

        yield return line.ToString();
    }

    private static bool FilesEqual(string a, string b) =>
        File.Exists(b) && File.ReadAllText(a).ReplaceLineEndings() == File.ReadAllText(b).ReplaceLineEndings();
}
