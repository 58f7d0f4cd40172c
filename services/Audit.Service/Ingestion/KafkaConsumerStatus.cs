namespace Audit.Service.Ingestion;

/// <summary>What the consumer last knew about itself and the brokers, for the readiness check.</summary>
internal sealed class KafkaConsumerStatus(TimeProvider timeProvider)
{
    private readonly Lock _gate = new();
    private Snapshot _current = new(ConsumerState.Starting, null, null, 0, null);

    public enum ConsumerState
    {
        Starting,
        Running,
        BrokersUnreachable,
        StoreFailing,
        Restarting,
        Stopped,
    }

    public Snapshot Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    public void Running(int assignedPartitions) => Set(s => s with
    {
        State = s.State is ConsumerState.StoreFailing ? s.State : ConsumerState.Running,
        AssignedPartitions = assignedPartitions,
        Since = s.State is ConsumerState.Running or ConsumerState.StoreFailing ? s.Since : timeProvider.GetUtcNow(),
        Problem = s.State is ConsumerState.StoreFailing ? s.Problem : null,
    });

    public void BrokersReachable() => Set(s => s.State is ConsumerState.BrokersUnreachable or ConsumerState.Starting or ConsumerState.Restarting
        ? s with { State = ConsumerState.Running, Since = timeProvider.GetUtcNow(), Problem = null }
        : s);

    public void BrokersUnreachable(string reason) => Set(s => s.State == ConsumerState.BrokersUnreachable
        ? s with { Problem = reason }
        : s with { State = ConsumerState.BrokersUnreachable, Since = timeProvider.GetUtcNow(), Problem = reason });

    public void StoreFailing(string reason) => Set(s => s with
    {
        State = ConsumerState.StoreFailing,
        Since = s.State == ConsumerState.StoreFailing ? s.Since : timeProvider.GetUtcNow(),
        Problem = reason,
    });

    public void StoreRecovered() => Set(s => s.State == ConsumerState.StoreFailing
        ? s with { State = ConsumerState.Running, Since = timeProvider.GetUtcNow(), Problem = null }
        : s);

    public void Restarting(string reason) => Set(s => s with { State = ConsumerState.Restarting, Since = timeProvider.GetUtcNow(), Problem = reason });

    public void Stopped() => Set(s => s with { State = ConsumerState.Stopped, Since = timeProvider.GetUtcNow(), AssignedPartitions = 0 });

    public void Configured(string topic) => Set(s => s with { Topic = topic });

    private void Set(Func<Snapshot, Snapshot> change)
    {
        lock (_gate)
        {
            _current = change(_current);
        }
    }

    public sealed record Snapshot(ConsumerState State, DateTimeOffset? Since, string? Problem, int AssignedPartitions, string? Topic);
}
