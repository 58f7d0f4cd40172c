using System.Globalization;

namespace Snapshot.Job.Manifest;

/// <summary>
/// A run's output: <c>&lt;application&gt;-&lt;start, UTC&gt;.dump</c> and <c>.manifest.json</c> beside it. Named after the
/// run's start (kept in its state), so a resumed run writes the same names. Each file is written under a temporary
/// name first and renamed when complete: a reader never sees half a snapshot.
/// </summary>
internal sealed class SnapshotFiles
{
    public SnapshotFiles(string directory, string application, DateTimeOffset startedAt)
    {
        Directory = Path.GetFullPath(directory);
        Application = application;
        BaseName = $"{application}-{startedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}";
    }

    public string Directory { get; }

    public string Application { get; }

    public string BaseName { get; }

    public string Dump => Path.Combine(Directory, BaseName + ".dump");

    public string Manifest => Path.Combine(Directory, BaseName + ".manifest.json");

    /// <summary>
    /// A temporary name of this process's own: a pg_dump orphaned by a killed run may still be writing its file.
    /// </summary>
    public static string PartialOf(string path) => $"{path}.{Environment.ProcessId}.partial";

    /// <summary>Deletes the temporary files earlier attempts of this application left behind.</summary>
    public void DeleteStalePartials()
    {
        foreach (var partial in System.IO.Directory.EnumerateFiles(Directory, $"{Application}-*.partial"))
        {
            File.Delete(partial);
        }
    }
}
