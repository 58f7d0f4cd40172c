using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Sandbox.Testing;

namespace Infrastructure.IntegrationTests;

/// <summary>
/// up, up again, down on a copy of the repository with ports of its own, so the servers the other tests use stay up:
/// the second up only checks, down stops exactly what up started and leaves none of its processes behind.
/// </summary>
public sealed class InfraLifecycleTests : IAsyncLifetime
{
    private readonly string _copy = Path.Combine(Path.GetTempPath(), $"sandbox-infra-{Guid.NewGuid():N}");
    private readonly Dictionary<string, string> _ports = new()
    {
        ["SANDBOX_POSTGRES_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["SANDBOX_REDIS_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public ValueTask InitializeAsync()
    {
        var root = SandboxEnvironment.RepositoryRoot;
        CopyDirectory(Path.Combine(root, "scripts"), Path.Combine(_copy, "scripts"));
        foreach (var tool in new[] { "KafkaMockCluster", "BundledLibrdkafka", "SharedSource" })
        {
            CopyDirectory(Path.Combine(root, "tools", tool), Path.Combine(_copy, "tools", tool));
        }
        foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", ".editorconfig", "Sandbox.sln" })
        {
            File.Copy(Path.Combine(root, file), Path.Combine(_copy, file));
        }

        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Up_twice_then_down_leaves_no_process_of_ours_running()
    {
        var first = await RunAsync("up");
        Assert.True(first.ExitCode == 0, first.Output);
        var pids = await RunningPidsAsync();
        Assert.Equal(3, pids.Count);
        Assert.All(pids, pid => Assert.True(IsAlive(pid), $"pid {pid} should be running after up"));

        var second = await RunAsync("up");
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Equal(3, second.Output.Split('\n').Count(line => line.Contains("already running", StringComparison.Ordinal)));
        Assert.Equal(pids, await RunningPidsAsync());

        var down = await RunAsync("down");
        Assert.True(down.ExitCode == 0, down.Output);
        Assert.Contains("postgres: stopped", down.Output, StringComparison.Ordinal);
        Assert.Contains("redis: stopped", down.Output, StringComparison.Ordinal);
        Assert.Contains("kafka: stopped", down.Output, StringComparison.Ordinal);
        Assert.All(pids, pid => Assert.False(IsAlive(pid), $"pid {pid} still runs after down"));
        Assert.False(File.Exists(Path.Combine(_copy, ".sandbox", "env")));

        var again = await RunAsync("down");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("nothing was running", again.Output, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync("down", "--purge");
        Directory.Delete(_copy, recursive: true);
    }

    private async Task<List<int>> RunningPidsAsync()
    {
        var status = await RunAsync("status");
        Assert.True(status.ExitCode == 0, status.Output);
        return Regex.Matches(status.Output, @"running\s+pid (\d+)")
            .Select(match => int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .Order()
            .ToList();
    }

    // An exited child that its parent has not reaped yet (a zombie) no longer runs.
    private static bool IsAlive(int pid)
    {
        var status = $"/proc/{pid}/status";
        return File.Exists(status) && !File.ReadAllLines(status).Any(line => line.StartsWith("State:", StringComparison.Ordinal) && line.Contains('Z', StringComparison.Ordinal));
    }

    private Task<(int ExitCode, string Output)> RunAsync(params string[] arguments) => InfraScript.RunAsync(_copy, _ports, arguments);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void CopyDirectory(string source, string target)
    {
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            {
                continue;
            }

            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
