using Sandbox.Testing;

namespace Infrastructure.IntegrationTests;

/// <summary>scripts/infra as a learner and the test command use it, while the servers are up.</summary>
public sealed class InfraScriptTests
{
    [Fact]
    public async Task A_second_up_says_each_server_is_already_running()
    {
        var (exitCode, output) = await RunInfraAsync("up");

        Assert.Equal(0, exitCode);
        Assert.Contains("postgres: already running", output, StringComparison.Ordinal);
        Assert.Contains("redis: already running", output, StringComparison.Ordinal);
        Assert.Contains("kafka: already running", output, StringComparison.Ordinal);
        Assert.Contains("librdkafka's mock cluster", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_reports_every_server_answering()
    {
        var (exitCode, output) = await RunInfraAsync("status");

        Assert.Equal(0, exitCode);
        Assert.Equal(3, output.Split('\n').Count(line => line.Contains("answers", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Env_prints_the_connection_strings_as_exports()
    {
        var (exitCode, output) = await RunInfraAsync("env");

        Assert.Equal(0, exitCode);
        foreach (var name in new[] { "appdb", "auditdb", "labdb", "redis", "kafka" })
        {
            Assert.Contains($"export ConnectionStrings__{name}='{SandboxEnvironment.ConnectionString(name)}'", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_unknown_command_names_the_valid_ones()
    {
        var (exitCode, output) = await RunInfraAsync("start");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("up", output, StringComparison.Ordinal);
        Assert.Contains("down", output, StringComparison.Ordinal);
    }

    private static Task<(int ExitCode, string Output)> RunInfraAsync(string command) =>
        InfraScript.RunAsync(SandboxEnvironment.RepositoryRoot, new Dictionary<string, string>(), command);
}
