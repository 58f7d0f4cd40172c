using System.Threading.Channels;
using Audit.Service.Api;

namespace Audit.Service.Tail;

/// <summary>
/// One live-tail client: a bounded buffer between the hub and the client's connection. Publishing never waits: when the
/// buffer is full the subscription is marked <see cref="Overflowed"/> and closed, so one slow client costs nothing
/// to ingestion or to other clients.
/// </summary>
internal sealed class AuditTailSubscription : IDisposable
{
    private readonly Channel<AuditEventResponse> _buffer;
    private readonly Action<AuditTailSubscription> _unsubscribe;

    public AuditTailSubscription(Guid? actorId, int capacity, Action<AuditTailSubscription> unsubscribe)
    {
        ActorId = actorId;
        _unsubscribe = unsubscribe;
        _buffer = Channel.CreateBounded<AuditEventResponse>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public Guid? ActorId { get; }

    public bool Overflowed { get; private set; }

    public ChannelReader<AuditEventResponse> Events => _buffer.Reader;

    /// <summary>Offers an event; false when the client had fallen behind and is now cut off.</summary>
    public bool Offer(AuditEventResponse audit)
    {
        if (ActorId is { } actor && audit.ActorId != actor)
        {
            return true;
        }

        if (_buffer.Writer.TryWrite(audit))
        {
            return true;
        }

        if (!Overflowed)
        {
            Overflowed = true;
            _buffer.Writer.TryComplete();
        }

        return false;
    }

    public void Dispose()
    {
        _buffer.Writer.TryComplete();
        _unsubscribe(this);
    }
}
