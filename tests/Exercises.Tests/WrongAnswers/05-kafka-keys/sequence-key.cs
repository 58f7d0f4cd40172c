namespace Lab;

// Keyed by the sequence number, "so the key keeps them in order": event 1 of every account shares a partition,
// event 2 goes elsewhere, and one account's events end up spread over the partitions.
public static class EventKey
{
    public static string? KeyFor(AccountEvent accountEvent) => accountEvent.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
