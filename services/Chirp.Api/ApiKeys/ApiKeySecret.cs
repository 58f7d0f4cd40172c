using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Chirp.Api.ApiKeys;

/// <summary>
/// An API key: "chirp_" + 16 hex digits (the public prefix, which finds the row) + "_" + 32 random bytes in base64url
/// (the secret). Stored as SHA-256 of the whole key; see migration 0002_api_keys for why a fast hash is right here.
/// </summary>
public sealed partial record ApiKeySecret(string Key, string Prefix, byte[] Hash)
{
    private const int PrefixLength = 22; // "chirp_" + 16 hex digits

    public static ApiKeySecret Generate()
    {
        var prefix = $"chirp_{RandomNumberGenerator.GetHexString(16, lowercase: true)}";
        var key = $"{prefix}_{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))}";
        return new ApiKeySecret(key, prefix, HashOf(key));
    }

    /// <summary>The prefix of a well-formed key, or null: a malformed key is rejected without touching the database.</summary>
    public static string? PrefixOf(string presented) =>
        KeyPattern().IsMatch(presented) ? presented[..PrefixLength] : null;

    public static byte[] HashOf(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Constant-time, so the time a comparison takes tells nothing about how much of a hash matched.</summary>
    public static bool Matches(string presented, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(HashOf(presented), storedHash);

    [GeneratedRegex("^chirp_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$")]
    private static partial Regex KeyPattern();
}
