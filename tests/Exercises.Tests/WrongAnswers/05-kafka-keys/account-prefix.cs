namespace Lab;

// The "account type" prefix of the id: every account id starts with "acc-", so every event gets the same key.
public static class EventKey
{
    public static string? KeyFor(AccountEvent accountEvent) => accountEvent.AccountId[..4];
}
