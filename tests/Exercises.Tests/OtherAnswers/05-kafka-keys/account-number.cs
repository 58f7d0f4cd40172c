namespace Lab;

// Only the number of the account ("acc-0042" -> "0042"): still one key per account.
public static class EventKey
{
    public static string? KeyFor(AccountEvent accountEvent) => accountEvent.AccountId[(accountEvent.AccountId.IndexOf('-', StringComparison.Ordinal) + 1)..];
}
