namespace Snapshot.Job.Database;

/// <summary>pg_dump or pg_restore exited with an error; <see cref="Error"/> is what it printed.</summary>
internal sealed class PgToolException(string tool, int exitCode, string error)
    : Exception($"{tool} failed (exit code {exitCode}): {Summarize(error)}")
{
    public string Tool { get; } = tool;

    public int ExitCode { get; } = exitCode;

    public string Error { get; } = error;

    private static string Summarize(string error)
    {
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "(no message)" : string.Join(" | ", lines.Take(5));
    }
}
