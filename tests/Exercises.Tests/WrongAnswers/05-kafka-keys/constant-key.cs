namespace Lab;

// One key for everything: every event lands in one partition, in order, read by one consumer.
public static class EventKey
{
    public static string? KeyFor(AccountEvent accountEvent) => "account-events";
}
