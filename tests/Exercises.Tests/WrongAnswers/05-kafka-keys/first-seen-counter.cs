using System.Collections.Concurrent;

namespace Lab;

// A small number per account, handed out in the order accounts first appear: stable within one process, but
// another process that sees the events in another order numbers the accounts differently.
public static class EventKey
{
    private static readonly ConcurrentDictionary<string, int> s_numbers = new(StringComparer.Ordinal);
    private static int s_next;

    public static string? KeyFor(AccountEvent accountEvent) =>
        s_numbers.GetOrAdd(accountEvent.AccountId, _ => Interlocked.Increment(ref s_next)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
