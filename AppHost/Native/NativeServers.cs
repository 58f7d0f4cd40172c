using System.Diagnostics.CodeAnalysis;

namespace Aspire.Hosting;

/// <summary>
/// Where the operating system's PostgreSQL and Redis programs are, for native mode, and how to run them as root
/// (PostgreSQL refuses to: then its own user runs it through runuser).
/// </summary>
internal static class NativeServers
{
    public const string PostgresUser = "postgres";

    /// <summary>PostgreSQL refuses root; as root, its programs run as the postgres user.</summary>
    public static bool RunningAsRoot => !OperatingSystem.IsWindows() && Environment.IsPrivilegedProcess;

    /// <summary>The directory holding initdb and postgres: PATH, then Debian's per-version directories (newest first), then Homebrew.</summary>
    public static bool TryFindPostgresBin([NotNullWhen(true)] out string? directory)
    {
        var executable = OperatingSystem.IsWindows() ? "postgres.exe" : "postgres";
        IEnumerable<string> candidates = PathDirectories()
            .Concat(VersionDirectories("/usr/lib/postgresql", "bin"))
            .Concat(VersionDirectories("/opt/homebrew/opt", "bin", prefix: "postgresql@"))
            .Concat(VersionDirectories("/usr/local/opt", "bin", prefix: "postgresql@"))
            .Concat(VersionDirectories(@"C:\Program Files\PostgreSQL", "bin"));
        directory = candidates.FirstOrDefault(dir =>
            File.Exists(Path.Combine(dir, executable)) && File.Exists(Path.Combine(dir, OperatingSystem.IsWindows() ? "initdb.exe" : "initdb")));
        return directory is not null;
    }

    public static bool TryFindRedisServer([NotNullWhen(true)] out string? path)
    {
        var executable = OperatingSystem.IsWindows() ? "redis-server.exe" : "redis-server";
        path = PathDirectories()
            .Concat(s_redisDirectories)
            .Select(dir => Path.Combine(dir, executable))
            .FirstOrDefault(File.Exists);
        return path is not null;
    }

    /// <summary>runuser (util-linux) on Linux, to run PostgreSQL as its own user when the AppHost runs as root.</summary>
    private static readonly string[] s_runuserPaths = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"];
    private static readonly string[] s_redisDirectories = ["/opt/homebrew/bin", "/usr/local/bin", "/usr/bin", "/usr/sbin"];

    public static bool TryFindRunuser([NotNullWhen(true)] out string? path)
    {
        path = s_runuserPaths.FirstOrDefault(File.Exists);
        return path is not null;
    }

    private static string[] PathDirectories() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);

    // <root>/<version>/<sub>, newest version first ("15" < "17"; "postgresql@16" < "postgresql@17").
    private static IEnumerable<string> VersionDirectories(string root, string sub, string prefix = "")
    {
        if (!Directory.Exists(root))
        {
            return [];
        }

        return Directory.GetDirectories(root, prefix + "*")
            .Select(dir => (dir, version: int.TryParse(Path.GetFileName(dir)[prefix.Length..].Split('.')[0], out var v) ? v : -1))
            .Where(entry => entry.version >= 0)
            .OrderByDescending(entry => entry.version)
            .Select(entry => Path.Combine(entry.dir, sub));
    }
}
