using System.Threading.Channels;
using Audit.Service.Api;
using Npgsql;

namespace Audit.Service.Tail;

/// <summary>
/// LISTENs on <see cref="AuditTailNotification.Channel"/> and hands the committed rows it names to the tail hub.
/// Every instance listens, so a client of any instance sees the events every instance stores, after their commit.
/// A notification that arrives while no client is connected is dropped without reading anything.
/// </summary>
internal sealed partial class AuditNotificationListener(
    NpgsqlDataSource dataSource,
    AuditTailHub hub,
    ILogger<AuditNotificationListener> logger) : BackgroundService
{
    private static readonly string s_selectByKey = SqlStatements.Get("Tail/Sql/select_events_by_key.sql");
    private static readonly TimeSpan s_reconnectDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_idleCheck = TimeSpan.FromSeconds(30);
    private readonly Channel<string> _notifications = Channel.CreateBounded<string>(
        new BoundedChannelOptions(10_000) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.DropOldest });
    private TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once LISTEN is in effect, so a client told "subscribed" misses nothing stored afterwards.</summary>
    public Task WaitUntilListeningAsync(CancellationToken cancellationToken) =>
        Volatile.Read(ref _listening).Task.WaitAsync(cancellationToken);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(ListenAsync(stoppingToken), DeliverAsync(stoppingToken));

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => _notifications.Writer.TryWrite(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {AuditTailNotification.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                Volatile.Read(ref _listening).TrySetResult();
                while (!stoppingToken.IsCancellationRequested)
                {
                    if (!await connection.WaitAsync(s_idleCheck, stoppingToken))
                    {
                        // Nothing for a while: prove the connection is alive rather than wait on a dead one.
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteNonQueryAsync(stoppingToken);
                    }
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                if (Volatile.Read(ref _listening).Task.IsCompleted)
                {
                    Volatile.Write(ref _listening, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                }

                LogListenFailed(ex, s_reconnectDelay);
                await Task.Delay(s_reconnectDelay, stoppingToken).ContinueWith(static _ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task DeliverAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var payload in _notifications.Reader.ReadAllAsync(stoppingToken))
            {
                if (!hub.HasSubscribers)
                {
                    continue;
                }

                try
                {
                    foreach (var audit in await ReadAsync(payload, stoppingToken))
                    {
                        hub.Publish(audit);
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogDeliverFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<List<AuditEventResponse>> ReadAsync(string payload, CancellationToken cancellationToken)
    {
        var keys = AuditTailNotification.Parse(payload);
        await using var command = dataSource.CreateCommand(s_selectByKey);
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. keys.Select(k => k.EventId)] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. keys.Select(k => k.OccurredAt).Distinct()] });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<AuditEventResponse>(keys.Count);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(AuditEventResponse.Read(reader));
        }

        return rows;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live tail: listening for stored events failed; reconnecting in {Delay}")]
    private partial void LogListenFailed(Exception exception, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live tail: reading notified events failed; those events are not tailed")]
    private partial void LogDeliverFailed(Exception exception);
}
