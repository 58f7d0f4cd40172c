using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>Creates PostgreSQL's data directory with initdb the first time native mode starts it.</summary>
internal static partial class NativePostgresDataDirectory
{
    public static async Task EnsureInitializedAsync(
        string dataDirectory, string binDirectory, string? runuser, string password, ILogger logger, CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            LogUsing(logger, dataDirectory);
            return;
        }

        // What an interrupted initdb left would make the next one refuse to start.
        if (Directory.Exists(dataDirectory))
        {
            Directory.Delete(dataDirectory, recursive: true);
        }

        var parent = Path.GetDirectoryName(dataDirectory)!;
        Directory.CreateDirectory(parent);
        // The password goes to initdb in a file only the server's user can read, never on a command line.
        var passwordFile = Path.Combine(parent, ".initdb-password");
        await File.WriteAllTextAsync(passwordFile, password, cancellationToken);
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            if (runuser is not null)
            {
                // initdb runs as postgres and creates the data directory: postgres must own the directory it goes in.
                await ProcessRunner.RunAsync("chown", [NativeServers.PostgresUser, parent, passwordFile], logger, cancellationToken);
            }

            LogCreating(logger, dataDirectory);
            var initdb = Path.Combine(binDirectory, "initdb");
            // The C locale exists everywhere (a minimal Debian has no en_US.UTF-8) and sorts the same on every machine.
            string[] arguments = ["-D", dataDirectory, "-U", "postgres", $"--pwfile={passwordFile}", "--auth=scram-sha-256", "--encoding=UTF8", "--no-locale"];
            if (runuser is not null)
            {
                await ProcessRunner.RunAsync(runuser, ["-u", NativeServers.PostgresUser, "--", initdb, .. arguments], logger, cancellationToken);
            }
            else
            {
                await ProcessRunner.RunAsync(initdb, arguments, logger, cancellationToken);
            }
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Using the data directory {DataDirectory}")]
    private static partial void LogUsing(ILogger logger, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Creating the data directory {DataDirectory} (initdb)")]
    private static partial void LogCreating(ILogger logger, string dataDirectory);
}
