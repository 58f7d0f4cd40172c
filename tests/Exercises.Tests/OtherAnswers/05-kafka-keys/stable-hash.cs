using System.Security.Cryptography;
using System.Text;

namespace Lab;

// A short, stable hash of the account: SHA-256 gives the same bytes in every process (string.GetHashCode() would not).
public static class EventKey
{
    public static string? KeyFor(AccountEvent accountEvent) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(accountEvent.AccountId)))[..16];
}
