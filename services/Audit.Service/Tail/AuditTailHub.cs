using Audit.Service.Api;
using Audit.Service.Telemetry;
using Microsoft.Extensions.Options;

namespace Audit.Service.Tail;

/// <summary>Fans stored events out to this instance's live-tail clients.</summary>
internal sealed class AuditTailHub(IOptions<AuditTailOptions> options, AuditTelemetry telemetry)
{
    private readonly Lock _gate = new();
    private AuditTailSubscription[] _subscriptions = [];

    public bool HasSubscribers => Volatile.Read(ref _subscriptions).Length > 0;

    public AuditTailSubscription Subscribe(Guid? actorId)
    {
        var subscription = new AuditTailSubscription(actorId, options.Value.ClientBufferSize, Unsubscribe);
        lock (_gate)
        {
            _subscriptions = [.. _subscriptions, subscription];
        }

        telemetry.TailSubscribers.Add(1);
        return subscription;
    }

    public void Publish(AuditEventResponse audit)
    {
        foreach (var subscription in Volatile.Read(ref _subscriptions))
        {
            if (!subscription.Offer(audit))
            {
                telemetry.TailDisconnectedSlow.Add(1);
                Unsubscribe(subscription);
            }
        }
    }

    private void Unsubscribe(AuditTailSubscription subscription)
    {
        lock (_gate)
        {
            if (!_subscriptions.Contains(subscription))
            {
                return;
            }

            _subscriptions = [.. _subscriptions.Where(s => !ReferenceEquals(s, subscription))];
        }

        telemetry.TailSubscribers.Add(-1);
    }
}
