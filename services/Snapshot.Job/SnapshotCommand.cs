using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Snapshot.Job.Configuration;
using Snapshot.Job.Database;
using Snapshot.Job.Resilience;
using Snapshot.Job.Telemetry;

namespace Snapshot.Job;

/// <summary>The console program: build the host (telemetry, logs, settings), run once, print the outcome, return an exit code.</summary>
internal static class SnapshotCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        // Named explicitly: the service's ActivitySource and Meter are named after it, also when a test hosts the job.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ApplicationName = "Snapshot.Job" });
        builder.AddServiceDefaults();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        // The console tells the run's story; Npgsql's per-command and the host's lifetime lines would bury it.
        builder.Logging.AddFilter("Npgsql", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);

        SnapshotOptions options;
        try
        {
            options = builder.Configuration.GetSection(SnapshotOptions.Section).Get<SnapshotOptions>() ?? new SnapshotOptions();
        }
        catch (InvalidOperationException ex)
        {
            await Console.Error.WriteLineAsync($"Invalid Snapshot settings: {ex.Message}");
            return ExitCodes.InvalidConfiguration;
        }

        if (options.Problems() is { Count: > 0 } problems)
        {
            await Console.Error.WriteLineAsync(string.Join(Environment.NewLine, problems));
            return ExitCodes.InvalidConfiguration;
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(options.Retry);
        builder.Services.AddSingleton<SnapshotMetrics>();
        builder.Services.AddSingleton<RetryRunner>();
        builder.Services.AddSingleton<SnapshotJob>();

        using var host = builder.Build();
        await host.StartAsync();
        var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        try
        {
            var files = await host.Services.GetRequiredService<SnapshotJob>().RunAsync(stopping);
            await Console.Out.WriteLineAsync($"Snapshot: {files.Dump}{Environment.NewLine}Manifest: {files.Manifest}");
            return ExitCodes.Success;
        }
        catch (Exception ex)
        {
            var (exitCode, message) = Explain(ex, stopping.IsCancellationRequested);
            await Console.Error.WriteLineAsync(message);
            return exitCode;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>An exit code and a message a learner can act on.</summary>
    internal static (int ExitCode, string Message) Explain(Exception exception, bool stopping) => exception switch
    {
        OperationCanceledException when stopping => (ExitCodes.Cancelled, "Stopped before the snapshot was written; run the job again to resume."),
        SnapshotConfigurationException => (ExitCodes.InvalidConfiguration, exception.Message),
        RulesMismatchException mismatch => (ExitCodes.RulesMismatch,
            $"The rules do not match the source's schema, so nothing was copied:{Environment.NewLine}  " +
            string.Join($"{Environment.NewLine}  ", mismatch.Problems)),
        RunInProgressException => (ExitCodes.AlreadyRunning, exception.Message),
        _ when TransientFailure.IsTransient(exception) => (ExitCodes.Unavailable,
            $"The database kept failing after every retry ({Describe(exception)}). Whatever steps completed are kept: run the job again to resume."),
        PostgresException or NpgsqlException or PgToolException => (ExitCodes.Failed,
            $"Snapshot failed: {Describe(exception)}. This is not a transient failure, so it was not retried."),
        IOException or UnauthorizedAccessException => (ExitCodes.Failed, $"Snapshot failed: {exception.Message}"),
        _ => (ExitCodes.Failed, $"Snapshot failed: {exception}"),
    };

    private static string Describe(Exception exception) => exception switch
    {
        PostgresException postgres => $"{postgres.MessageText} (SQLSTATE {postgres.SqlState})",
        NpgsqlException { InnerException: { } inner } npgsql => $"{npgsql.Message} {inner.Message}",
        _ => exception.Message,
    };
}
