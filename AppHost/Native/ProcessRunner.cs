using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>Runs a short-lived program (initdb, chown) to completion, its output going to a resource's log.</summary>
internal static partial class ProcessRunner
{
    public static async Task RunAsync(string fileName, IEnumerable<string> arguments, ILogger logger, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"{fileName} did not start");
        process.OutputDataReceived += (_, line) => Log(line.Data);
        process.ErrorDataReceived += (_, line) => Log(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(fileName)} {string.Join(' ', startInfo.ArgumentList)} failed with exit code {process.ExitCode} (its output is in this resource's log)");
        }

        void Log(string? line)
        {
            if (!string.IsNullOrEmpty(line))
            {
                LogLine(logger, line);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Line}")]
    private static partial void LogLine(ILogger logger, string line);
}
