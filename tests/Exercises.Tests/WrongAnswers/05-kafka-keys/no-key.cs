namespace Lab;

// No key: the producer scatters the messages over the partitions.
public static class EventKey
{
    public static string? KeyFor(AccountEvent accountEvent) => null;
}
