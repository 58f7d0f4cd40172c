namespace Lab;

/// <summary>
/// Exercise 05: the key the producer gives each account event.
/// </summary>
public static class EventKey
{
    /// <summary>The Kafka message key for <paramref name="accountEvent"/>.</summary>
    public static string? KeyFor(AccountEvent accountEvent)
    {
        // Order matters within an account, and only there: the same account, the same key, the same partition,
        // one consumer, in order. Different accounts spread over the partitions and are applied in parallel.
        return accountEvent.AccountId;
    }
}
