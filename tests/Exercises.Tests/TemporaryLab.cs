using Lab.Checker.Cli;

namespace Exercises.Tests;

/// <summary>
/// A copy of the exercises (manifest, folders, starters, solutions) in a temporary root with its own progress file,
/// so CLI tests never touch the learner's files or .sandbox/progress.json. Runs ./lab's commands in process.
/// </summary>
public sealed class TemporaryLab : IDisposable
{
    public TemporaryLab(string repositoryRoot)
    {
        Root = Path.Combine(Path.GetTempPath(), $"lab-cli-{Guid.NewGuid():N}");
        var source = Path.Combine(repositoryRoot, "exercises");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.StartsWith("Checker", StringComparison.Ordinal))
            {
                continue;
            }

            var target = Path.Combine(Root, "exercises", relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        // The exercise folders are the starters in this copy, whatever the clone's learner has done.
        foreach (var starter in Directory.EnumerateFiles(Path.Combine(source, ".starters"), "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Path.Combine(source, ".starters"), starter);
            File.Copy(starter, Path.Combine(Root, "exercises", relative), overwrite: true);
        }

        var env = Path.Combine(repositoryRoot, ".sandbox", "env");
        if (File.Exists(env))
        {
            Directory.CreateDirectory(Path.Combine(Root, ".sandbox"));
            File.Copy(env, Path.Combine(Root, ".sandbox", "env"));
        }
    }

    public string Root { get; }

    public string ProgressFile => Path.Combine(Root, ".sandbox", "progress.json");

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public LabSession Session(TextWriter output) =>
        new(LabPaths.Resolve(Root, ProgressFile), new LabConsole(output, TextWriter.Null, useColour: false, interactive: false));

    public async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        var exitCode = await LabApp.RunAsync(
            [.. args, "--root", Root, "--progress", ProgressFile],
            new LabConsole(output, TextWriter.Null, useColour: false, interactive: false),
            TestContext.Current.CancellationToken);
        return (exitCode, output.ToString());
    }

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
