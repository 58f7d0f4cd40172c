using System.Diagnostics;

namespace Exercises.UnitTests;

/// <summary>The repository these tests run in, and what git has staged for a path (null without git or when untracked).</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string? StagedBlob(string path)
    {
        try
        {
            var start = new ProcessStartInfo("git", ["ls-files", "-s", "--", path])
            {
                WorkingDirectory = Root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var git = Process.Start(start)!;
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            var fields = output.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            return git.ExitCode == 0 && fields.Length >= 2 ? fields[1] : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "exercises", "manifest.json")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("exercises/manifest.json not found above the test binaries.");
    }
}
