namespace Lab;

// The account's hash code "to keep keys short": string.GetHashCode() is randomized per process in .NET, so a
// restarted producer (or a second instance) gives the same account another key, and another partition.
public static class EventKey
{
    public static string? KeyFor(AccountEvent accountEvent) =>
        accountEvent.AccountId.GetHashCode().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
