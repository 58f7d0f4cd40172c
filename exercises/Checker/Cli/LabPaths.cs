namespace Lab.Checker.Cli;

/// <summary>
/// Where the repository, the exercises and the progress file are. Tests point these at a temporary copy
/// with <c>LAB_ROOT</c> and <c>LAB_PROGRESS_FILE</c> (or --root / --progress).
/// </summary>
public sealed record LabPaths(string RepositoryRoot, string ProgressFile)
{
    public const string RootVariable = "LAB_ROOT";
    public const string ProgressVariable = "LAB_PROGRESS_FILE";

    public string ExercisesDirectory => Path.Combine(RepositoryRoot, "exercises");

    public static LabPaths Resolve(string? root, string? progressFile)
    {
        root ??= Environment.GetEnvironmentVariable(RootVariable);
        root = string.IsNullOrWhiteSpace(root)
            ? FindRoot(Environment.CurrentDirectory) ?? FindRoot(AppContext.BaseDirectory)
            : Path.GetFullPath(root);
        if (root is null || !File.Exists(Path.Combine(root, "exercises", "manifest.json")))
        {
            throw new LabUsageException(
                "Could not find exercises/manifest.json: run ./lab from inside the repository (or set LAB_ROOT to its path).");
        }

        progressFile ??= Environment.GetEnvironmentVariable(ProgressVariable);
        progressFile = string.IsNullOrWhiteSpace(progressFile)
            ? Path.Combine(root, ".sandbox", "progress.json")
            : Path.GetFullPath(progressFile);
        return new LabPaths(root, progressFile);
    }

    private static string? FindRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "exercises", "manifest.json")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
