using Npgsql;

namespace Chirp.Api.Idempotency;

/// <summary>Deletes expired idempotency records now and then, so the table holds about a day of keys.</summary>
public sealed partial class IdempotencyKeyPurger(NpgsqlDataSource dataSource, ILogger<IdempotencyKeyPurger> logger) : BackgroundService
{
    private const int BatchSize = 1_000;
    private static readonly TimeSpan s_interval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(s_interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    int deleted;
                    do
                    {
                        deleted = await IdempotencyStore.PurgeExpiredAsync(dataSource, BatchSize, stoppingToken);
                    }
                    while (deleted == BatchSize);
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
                {
                    LogPurgeFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Purging expired idempotency keys failed; trying again later")]
    private partial void LogPurgeFailed(Exception exception);
}
