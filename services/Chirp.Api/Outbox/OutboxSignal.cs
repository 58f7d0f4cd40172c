namespace Chirp.Api.Outbox;

/// <summary>
/// Wakes the relay right after a write in this process commits, so an event leaves within milliseconds instead of
/// at the next poll. In-process rather than LISTEN/NOTIFY: the writer and the relay share the process, so this needs
/// no extra connection; rows from other instances are found by the relay's poll.
/// </summary>
public sealed class OutboxSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up covers every row written so far.
        }
    }

    /// <summary>Waits until notified or until <paramref name="timeout"/> passes.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _signal.Dispose();
}
