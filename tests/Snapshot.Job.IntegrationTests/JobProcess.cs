using System.Diagnostics;
using System.Text;

namespace Snapshot.Job.IntegrationTests;

/// <summary>
/// Runs the snapshot job as an operator does: its own process (so it can really be killed), settings as environment
/// variables, stdout and stderr captured. <c>onOutput</c> sees each stdout line as it comes, to act at a given moment.
/// </summary>
internal static class JobProcess
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);

    public static async Task<JobResult> RunAsync(IReadOnlyDictionary<string, string> settings, Action<string>? onOutput = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Snapshot.Job.dll"));

        // The test process may carry every sandbox variable (scripts/test exports them): the job gets only the test's.
        foreach (var key in start.Environment.Keys.Where(key => key.StartsWith("ConnectionStrings__", StringComparison.Ordinal)
            || key.StartsWith("Snapshot__", StringComparison.Ordinal)
            || key.StartsWith("OTEL_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        using var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        var error = new StringBuilder();
        var outputDone = new TaskCompletionSource();
        var errorDone = new TaskCompletionSource();
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is null)
            {
                outputDone.TrySetResult();
                return;
            }

            lock (output)
            {
                output.AppendLine(line.Data);
            }

            onOutput?.Invoke(line.Data);
        };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is null)
            {
                errorDone.TrySetResult();
                return;
            }

            lock (error)
            {
                error.AppendLine(line.Data);
            }
        };

        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(s_timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The snapshot job did not finish within {s_timeout.TotalSeconds} s. Output so far:{Environment.NewLine}{output}{error}");
        }

        await Task.WhenAll(outputDone.Task, errorDone.Task);
        var result = new JobResult(process.ExitCode, output.ToString(), error.ToString());
        TestContext.Current.TestOutputHelper?.WriteLine($"snapshot job: {result}");
        return result;
    }
}

/// <summary>How a run of the job ended.</summary>
internal sealed record JobResult(int ExitCode, string Output, string Error)
{
    /// <summary>The exit code of a process that killed itself: 128 + SIGKILL on Unix, TerminateProcess's -1 on Windows.</summary>
    public static readonly int Killed = OperatingSystem.IsWindows() ? -1 : 137;

    public override string ToString() => $"exit code {ExitCode}{Environment.NewLine}stdout:{Environment.NewLine}{Output}stderr:{Environment.NewLine}{Error}";
}
