using Lab.Checker.Infrastructure;
using Lab.Checker.Manifest;

namespace Lab.Checker.Verification;

/// <summary>Everything a check needs: the exercise, where its files are, the servers, a way to say what it is doing.</summary>
public sealed class CheckContext
{
    public CheckContext(Exercise exercise, string directory, LabInfrastructure infrastructure, Action<string>? status = null)
    {
        Exercise = exercise;
        Directory = Path.GetFullPath(directory);
        Infrastructure = infrastructure;
        Status = status ?? (_ => { });
    }

    public Exercise Exercise { get; }

    /// <summary>The folder whose files are checked: the learner's, or in CI a solution or a wrong answer.</summary>
    public string Directory { get; }

    public LabInfrastructure Infrastructure { get; }

    /// <summary>Progress notes for the learner while a slow step runs (not part of the verdict).</summary>
    public Action<string> Status { get; }

    /// <summary>A short id unique to this run, for topic and group names.</summary>
    public string RunId { get; } = Guid.NewGuid().ToString("N")[..10];

    public string FilePath(string file) => Path.Combine(Directory, file);

    /// <summary>The path the learner knows the file by (exercises/NN-slug/file), whichever folder is checked.</summary>
    public string DisplayPath(string file) => Exercise.DisplayPath(file);

    public string ReadFile(string file)
    {
        var path = FilePath(file);
        return File.Exists(path)
            ? File.ReadAllText(path)
            : throw new LearnerFileMissingException(DisplayPath(file));
    }
}

/// <summary>A file the exercise needs is gone; <c>reset</c> brings it back.</summary>
public sealed class LearnerFileMissingException : Exception
{
    public LearnerFileMissingException(string displayPath)
        : base($"{displayPath} is missing.")
    {
        DisplayPath = displayPath;
    }

    public LearnerFileMissingException()
    {
        DisplayPath = string.Empty;
    }

    public LearnerFileMissingException(string message, Exception innerException)
        : base(message, innerException)
    {
        DisplayPath = string.Empty;
    }

    public string DisplayPath { get; }
}
