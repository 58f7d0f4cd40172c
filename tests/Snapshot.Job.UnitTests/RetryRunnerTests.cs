using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Snapshot.Job.Configuration;
using Snapshot.Job.Resilience;
using Snapshot.Job.Telemetry;

namespace Snapshot.Job.UnitTests;

/// <summary>
/// The retry policy alone, with exceptions thrown by the test; the integration tests make real connections fail
/// (a proxy that refuses and cuts them, pg_terminate_backend).
/// </summary>
public sealed class RetryRunnerTests : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly ServiceTelemetry _telemetry;

    public RetryRunnerTests()
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _telemetry = new ServiceTelemetry("Snapshot.Job.UnitTests", _services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
    }

    [Fact]
    public async Task A_transient_failure_is_retried_until_the_work_succeeds()
    {
        var attempts = 0;

        var result = await Runner(maxAttempts: 5).ExecuteAsync("work", _ =>
        {
            attempts++;
            return attempts < 3 ? throw new PostgresException("too many", "FATAL", "FATAL", "53300") : Task.FromResult(42);
        }, TestContext.Current.CancellationToken);

        Assert.Equal((42, 3), (result, attempts));
    }

    [Fact]
    public async Task Anything_else_fails_on_the_first_attempt()
    {
        var attempts = 0;

        await Assert.ThrowsAsync<PostgresException>(() => Runner(maxAttempts: 5).ExecuteAsync<int>("work", _ =>
        {
            attempts++;
            throw new PostgresException("password authentication failed", "FATAL", "FATAL", "28P01");
        }, TestContext.Current.CancellationToken));

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task The_last_transient_failure_surfaces_once_the_retries_are_spent()
    {
        var attempts = 0;

        await Assert.ThrowsAsync<SocketException>(() => Runner(maxAttempts: 2).ExecuteAsync<int>("work", _ =>
        {
            attempts++;
            throw new SocketException((int)SocketError.ConnectionRefused);
        }, TestContext.Current.CancellationToken));

        Assert.Equal(3, attempts);
    }

    public void Dispose()
    {
        _telemetry.Dispose();
        _services.Dispose();
    }

    private RetryRunner Runner(int maxAttempts)
    {
        var options = new RetryOptions { MaxAttempts = maxAttempts, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) };
        return new RetryRunner(options, new SnapshotMetrics(_telemetry), NullLogger<RetryRunner>.Instance);
    }
}
