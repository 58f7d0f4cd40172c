using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;
using Polly;
using Polly.Retry;
using Snapshot.Job.Configuration;
using Snapshot.Job.Telemetry;

namespace Snapshot.Job.Resilience;

/// <summary>
/// Runs one unit of work (a table's masking, the copy, the dump) again after a transient failure, with exponential
/// backoff and jitter, so a database that refuses connections for a moment does not fail the night's run. A unit
/// must be safe to repeat: each is a transaction that also checks whether an earlier attempt already committed it.
/// </summary>
internal sealed partial class RetryRunner
{
    private static readonly ResiliencePropertyKey<string> s_workKey = new("snapshot.work");
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger _logger;
    private readonly SnapshotMetrics _metrics;

    public RetryRunner(RetryOptions options, SnapshotMetrics metrics, ILogger<RetryRunner> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        _metrics = metrics;
        var builder = new ResiliencePipelineBuilder();
        if (options.MaxAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = arguments => ValueTask.FromResult(arguments.Outcome.Exception is { } exception && TransientFailure.IsTransient(exception)),
                OnRetry = OnRetryAsync,
            });
        }

        _pipeline = builder.Build();
    }

    /// <summary>Runs <paramref name="work"/>, retrying transient failures; <paramref name="what"/> names it in logs.</summary>
    public async Task<T> ExecuteAsync<T>(string what, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(s_workKey, what);
        try
        {
            return await _pipeline.ExecuteAsync(
                static async (attemptContext, state) => await state(attemptContext.CancellationToken),
                context,
                work);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    public Task ExecuteAsync(string what, Func<CancellationToken, Task> work, CancellationToken cancellationToken) =>
        ExecuteAsync<bool>(what, async token =>
        {
            await work(token);
            return true;
        }, cancellationToken);

    private ValueTask OnRetryAsync(OnRetryArguments<object> arguments)
    {
        var exception = arguments.Outcome.Exception!;
        var what = arguments.Context.Properties.GetValue(s_workKey, "work");
        var reason = TransientFailure.Reason(exception);
        LogRetry(what, arguments.AttemptNumber + 1, reason, exception.Message, (long)arguments.RetryDelay.TotalMilliseconds);
        _metrics.Retries.Add(1, new KeyValuePair<string, object?>("snapshot.work", what), new KeyValuePair<string, object?>("error.type", reason));
        Activity.Current?.AddEvent(new ActivityEvent("retry", tags: new ActivityTagsCollection
        {
            ["snapshot.work"] = what,
            ["snapshot.attempt"] = arguments.AttemptNumber + 1,
            ["error.type"] = reason,
        }));

        // Pooled connections to a server that restarted or dropped them are dead: the next attempt must open new ones.
        NpgsqlConnection.ClearAllPools();
        return default;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{What}: transient failure on attempt {Attempt} ({Reason}: {Error}); retrying in {DelayMs} ms")]
    private partial void LogRetry(string what, int attempt, string reason, string error, long delayMs);
}
