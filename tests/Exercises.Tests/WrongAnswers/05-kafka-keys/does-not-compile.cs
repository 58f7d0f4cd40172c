namespace Lab;

public static class EventKey
{
    public static string? KeyFor(AccountEvent accountEvent) => accountEvent.Account;
}
