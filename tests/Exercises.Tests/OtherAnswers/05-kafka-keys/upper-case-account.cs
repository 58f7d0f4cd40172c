namespace Lab;

// Any fixed function of the account works: the same account, the same key, in every process.
public static class EventKey
{
    public static string? KeyFor(AccountEvent accountEvent) => $"account:{accountEvent.AccountId.ToUpperInvariant()}";
}
