using Microsoft.Extensions.Options;

namespace Chirp.Api.Outbox;

/// <summary>
/// Publishes the outbox to Kafka, pass after pass: at once while batches come back full, on a write's signal or the
/// poll interval when idle, and with growing pauses (up to MaxBackoff) while Kafka or the database fails.
/// Any number of instances may run: row locks with SKIP LOCKED keep them from publishing the same row concurrently.
/// </summary>
public sealed partial class OutboxRelay(
    OutboxPublisher publisher,
    OutboxSignal signal,
    IOptions<OutboxOptions> options,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RelayEnabled)
        {
            LogDisabled();
            return;
        }

        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var result = await publisher.PublishBatchAsync(stoppingToken);
                // Back off only when nothing got through (Kafka is down): one row Kafka keeps refusing (say, too large)
                // must not slow every other event down; it is retried each pass, with attempts and last_error to show why.
                failures = result.Published == 0 && result.Failed > 0 ? failures + 1 : 0;
                if (failures == 0 && result.Published + result.Failed >= options.Value.BatchSize)
                {
                    continue; // A full batch: more rows are probably waiting.
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                LogPassFailed(ex, failures);
            }

            try
            {
                if (failures == 0)
                {
                    await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
                }
                else
                {
                    await Task.Delay(Backoff(failures), stoppingToken);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Poll interval doubled per consecutive failure, capped, with jitter so instances do not retry in step.</summary>
    private TimeSpan Backoff(int failures)
    {
        var exponential = options.Value.PollInterval.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 16));
        var capped = Math.Min(exponential, options.Value.MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.8 + (Random.Shared.NextDouble() * 0.4)));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox relay disabled (Outbox:RelayEnabled=false)")]
    private partial void LogDisabled();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay pass failed ({Failures} in a row); rows stay in the outbox")]
    private partial void LogPassFailed(Exception exception, int failures);
}
