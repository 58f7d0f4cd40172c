using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Lab.Checker.Checks.AtLeastOnce;

/// <summary>
/// One run of the learner's consumer in a process of its own (the checker's hidden consume-06 command), so that
/// "the consumer crashed" means what it means in production: killed, no finally blocks, no commit on the way out.
/// </summary>
public sealed class ConsumerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _errors = new();

    private ConsumerProcess(Process process)
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
        _process.OutputDataReceived += (_, _) => { };
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

    public static ConsumerProcess Start(string assemblyPath, string topic, string group, int dieAtCommitAfter, string labDb, string kafka)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // Run the checker's own assembly with the entry application's dependency and runtime files: the checker
        // itself, or in CI the test assembly that references it.
        var entry = Assembly.GetEntryAssembly()!.Location;
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add("--runtimeconfig");
        start.ArgumentList.Add(Path.ChangeExtension(entry, ".runtimeconfig.json"));
        start.ArgumentList.Add("--depsfile");
        start.ArgumentList.Add(Path.ChangeExtension(entry, ".deps.json"));
        start.ArgumentList.Add(typeof(ConsumerProcess).Assembly.Location);
        foreach (var argument in new[] { ConsumerHost.CommandName, "--assembly", assemblyPath, "--topic", topic, "--group", group, "--die-at-commit-after", dieAtCommitAfter.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ConnectionStrings__labdb"] = labDb;
        start.Environment["ConnectionStrings__kafka"] = kafka;
        start.Environment["DOTNET_NOLOGO"] = "1";
        return new ConsumerProcess(Process.Start(start)!);
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
