using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Snapshot.Job.Database;

/// <summary>
/// pg_dump and pg_restore from one directory, at least as new as the server: pg_dump refuses a server of a newer
/// major version, and pg_restore must read what that pg_dump wrote. The job looks in the usual install places and
/// takes the newest; Snapshot:PgBinDirectory names one directory instead.
/// </summary>
internal sealed partial record PgTools(string PgDump, string PgRestore, int Major, string Version)
{
    private static readonly TimeSpan s_versionTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// pg_dump's arguments for both dumps: custom format, without large objects (not tied to a table, so no rule could
    /// classify them) and without planner statistics (PostgreSQL 18 can dump them, and their most-common-values lists
    /// are samples of the unmasked data).
    /// </summary>
    public List<string> DumpArguments() =>
        Major >= 18 ? ["--format=custom", "--no-blobs", "--no-statistics"] : ["--format=custom", "--no-blobs"];

    /// <exception cref="SnapshotConfigurationException">No pg_dump, or none new enough for the server.</exception>
    public static async Task<PgTools> FindAsync(string? configuredDirectory, int serverMajor, string server, CancellationToken cancellationToken)
    {
        var directories = string.IsNullOrWhiteSpace(configuredDirectory)
            ? await CandidateDirectoriesAsync(cancellationToken)
            : [configuredDirectory];

        var found = new List<PgTools>();
        foreach (var directory in directories)
        {
            if (await ProbeAsync(directory, cancellationToken) is { } tools)
            {
                found.Add(tools);
            }
        }

        return Choose(found, serverMajor, server, string.IsNullOrWhiteSpace(configuredDirectory)
            ? $"looked on PATH and in {string.Join(", ", directories.Take(6))}{(directories.Count > 6 ? ", ..." : "")}"
            : $"Snapshot:PgBinDirectory is {configuredDirectory}");
    }

    /// <summary>The newest of the tools found, if it is at least the server's major version.</summary>
    /// <exception cref="SnapshotConfigurationException">None found, or the newest is too old; the message says what to install.</exception>
    internal static PgTools Choose(IReadOnlyList<PgTools> found, int serverMajor, string server, string where)
    {
        var install = $"Install the PostgreSQL {serverMajor} client tools (Debian/Ubuntu: apt install postgresql-client-{serverMajor}, " +
            $"from apt.postgresql.org if your release lacks it; macOS: brew install postgresql@{serverMajor}; Windows: the PostgreSQL " +
            $"installer's Command Line Tools), or set Snapshot:PgBinDirectory to the directory holding their pg_dump and pg_restore.";
        if (found.Count == 0)
        {
            throw new SnapshotConfigurationException($"pg_dump and pg_restore were not found ({where}). {install}");
        }

        var newest = found.MaxBy(tools => tools.Major)!;
        if (newest.Major < serverMajor)
        {
            throw new SnapshotConfigurationException(
                $"pg_dump {newest.Version} ({newest.PgDump}) is older than the PostgreSQL {serverMajor} server at {server}; " +
                $"pg_dump must be at least the server's major version. {install}");
        }

        return newest;
    }

    /// <summary>The major version in "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)", or null.</summary>
    internal static (int Major, string Version)? ParseVersion(string output)
    {
        var match = VersionPattern().Match(output);
        return match.Success
            ? (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), match.Groups[0].Value.Split(' ')[^1])
            : null;
    }

    private static async Task<PgTools?> ProbeAsync(string directory, CancellationToken cancellationToken)
    {
        var suffix = OperatingSystem.IsWindows() ? ".exe" : "";
        var pgDump = Path.Combine(directory, "pg_dump" + suffix);
        var pgRestore = Path.Combine(directory, "pg_restore" + suffix);
        if (!File.Exists(pgDump) || !File.Exists(pgRestore))
        {
            return null;
        }

        var output = await RunForOutputAsync(pgDump, "--version", cancellationToken);
        return output is not null && ParseVersion(output) is { } version
            ? new PgTools(pgDump, pgRestore, version.Major, version.Version)
            : null;
    }

    private static async Task<List<string>> CandidateDirectoriesAsync(CancellationToken cancellationToken)
    {
        var directories = new List<string>();
        if (await RunForOutputAsync("pg_config", "--bindir", cancellationToken) is { } bindir)
        {
            directories.Add(bindir.Trim());
        }

        directories.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        directories.AddRange(Expand("/usr/lib/postgresql", "bin"));                         // Debian, Ubuntu
        directories.AddRange(Expand("/usr", "bin", prefix: "pgsql-"));                      // RHEL, Fedora (PGDG)
        directories.AddRange(Expand("/opt/homebrew/opt", "bin", prefix: "postgresql@"));    // macOS, Apple silicon
        directories.AddRange(Expand("/usr/local/opt", "bin", prefix: "postgresql@"));       // macOS, Intel
        directories.Add("/opt/homebrew/opt/libpq/bin");
        directories.Add("/usr/local/opt/libpq/bin");
        directories.AddRange(Expand("/Applications/Postgres.app/Contents/Versions", "bin"));
        directories.AddRange(Expand(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ProgramFiles), "PostgreSQL"), "bin"));
        return directories.Where(directory => directory.Length > 0).Distinct(StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<string> Expand(string parent, string child, string prefix = "")
    {
        if (!Directory.Exists(parent))
        {
            return [];
        }

        try
        {
            return Directory.GetDirectories(parent, prefix + "*").Select(directory => Path.Combine(directory, child));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static async Task<string?> RunForOutputAsync(string program, string argument, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program, argument)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            _ = process.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(s_versionTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                return null; // hangs: not a usable tool
            }

            return process.ExitCode == 0 ? await output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // not installed
        }
    }

    [GeneratedRegex(@"\(PostgreSQL\)\s+(\d+)(?:\.\d+)?(?:\.\d+)?")]
    private static partial Regex VersionPattern();
}
