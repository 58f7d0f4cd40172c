using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Lab.Checker.Processes;

/// <summary>
/// The checker's own assembly run again as a child process (one of its hidden commands), so that a check can kill
/// the learner's code the way a crash does: no finally blocks, no rollback sent, nothing in memory kept. Keeps what
/// the child writes to stderr.
/// </summary>
public sealed class CheckerChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _errors = new();
    private readonly StringBuilder _output = new();

    private CheckerChildProcess(Process process, Action<string>? output = null)
    {
        _process = process;
        _process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                lock (_errors)
                {
                    _errors.AppendLine(line.Data);
                }
            }
        };
        _process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                lock (_output)
                {
                    _output.AppendLine(line.Data);
                }
                output?.Invoke(line.Data);
            }
        };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString().Trim();
            }
        }
    }

    /// <summary>What the child printed on standard output (a few checks read results from it).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the checker with <paramref name="command"/> (a hidden command and its options) and these environment variables.</summary>
    public static CheckerChildProcess Start(IEnumerable<string> command, IReadOnlyDictionary<string, string> environment) =>
        Start(command, environment, output: null);

    /// <summary>
    /// Starts it as above; with <paramref name="output"/>, the child also reads commands from its standard input
    /// (<see cref="SendLine"/>) and each line it writes to standard output goes to <paramref name="output"/>.
    /// </summary>
    public static CheckerChildProcess Start(IEnumerable<string> command, IReadOnlyDictionary<string, string> environment, Action<string>? output)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = output is not null,
            UseShellExecute = false,
        };

        // The checker's own assembly, with the entry application's dependency and runtime files: the checker itself,
        // or in CI the test assembly that references it.
        var entry = Assembly.GetEntryAssembly()!.Location;
        string[] host =
        [
            "exec",
            "--runtimeconfig", Path.ChangeExtension(entry, ".runtimeconfig.json"),
            "--depsfile", Path.ChangeExtension(entry, ".deps.json"),
            typeof(CheckerChildProcess).Assembly.Location,
        ];
        foreach (var argument in host.Concat(command))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        return new CheckerChildProcess(Process.Start(start)!, output);
    }

    /// <summary>One line to the child's standard input (only for a child started with an output handler). False once it has gone.</summary>
    public bool SendLine(string line)
    {
        try
        {
            _process.StandardInput.WriteLine(line);
            _process.StandardInput.Flush();
            return true;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the process to end on its own.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
        {
            return fromSdk;
        }

        var current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return current;
        }

        // shared/Microsoft.NETCore.App/<version>/ is three levels under the dotnet root.
        var root = Path.GetFullPath(Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var host = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(host) ? host : "dotnet";
    }
}
