using System.Diagnostics;

namespace Infrastructure.IntegrationTests;

/// <summary>Runs <c>scripts/infra</c> of a repository (this one, or a copy) and returns its exit code and output.</summary>
internal static class InfraScript
{
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string repositoryRoot,
        IReadOnlyDictionary<string, string> environment,
        params string[] arguments)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(repositoryRoot, "scripts", "infra"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = repositoryRoot,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
