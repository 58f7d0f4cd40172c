using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;

/// <summary>
/// Asks Docker or Podman for a container list before anything starts, to choose between containers and native mode.
/// (Aspire's own IContainerRuntimeResolver needs the built application, and the choice shapes what is built.)
/// </summary>
internal static class ContainerRuntime
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The one line for a forced container mode without a runtime.</summary>
    public static string MissingMessage =>
        "No container runtime answered (docker container ls, podman container ls): start Docker or Podman, " +
        "or run without containers: dotnet run --project AppHost -- --infra native";

    public static bool Answers(IConfiguration configuration)
    {
        // The runtime Aspire was told to use (ASPIRE_CONTAINER_RUNTIME, or --dcp-container-runtime); else the two it tries.
        var configured = configuration["DcpPublisher:ContainerRuntime"] ?? configuration["ASPIRE_CONTAINER_RUNTIME"];
        string[] runtimes = string.IsNullOrWhiteSpace(configured) ? ["docker", "podman"] : [configured];
        return runtimes.Any(Responds);
    }

    private static bool Responds(string runtime)
    {
        var startInfo = new ProcessStartInfo(runtime, "container ls --last 1")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        try
        {
            using var process = Process.Start(startInfo);
            if (process is null)
            {
                return false;
            }

            // Drain both pipes so a chatty runtime cannot block; only the exit code matters.
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (process.WaitForExit(AnswerTimeout))
            {
                return process.ExitCode == 0;
            }

            process.Kill(entireProcessTree: true);
            return false;
        }
        catch (Win32Exception)
        {
            return false; // not installed
        }
    }
}
