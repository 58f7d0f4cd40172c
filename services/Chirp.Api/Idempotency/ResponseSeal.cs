using System.Security.Cryptography;
using System.Text;

namespace Chirp.Api.Idempotency;

/// <summary>
/// Encrypts a stored response (AES-GCM) under a key derived (HKDF-SHA256) from the caller's Idempotency-Key, which the
/// database never stores. A replay needs that key; a copy of the table alone reveals no API key from a sign-up response.
/// </summary>
public static class ResponseSeal
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] s_info = "chirp-api idempotent response v1"u8.ToArray();

    public static byte[] Seal(string idempotencyKey, string scope, byte[] plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var sealedBytes = new byte[NonceSize + TagSize + plaintext.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(DeriveKey(idempotencyKey, scope), TagSize);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize));
        return sealedBytes;
    }

    /// <exception cref="AuthenticationTagMismatchException">Another key, or the bytes were altered.</exception>
    public static byte[] Open(string idempotencyKey, string scope, byte[] sealedBytes)
    {
        ArgumentNullException.ThrowIfNull(sealedBytes);
        var plaintext = new byte[sealedBytes.Length - NonceSize - TagSize];
        using var aes = new AesGcm(DeriveKey(idempotencyKey, scope), TagSize);
        aes.Decrypt(
            sealedBytes.AsSpan(0, NonceSize),
            sealedBytes.AsSpan(NonceSize + TagSize),
            sealedBytes.AsSpan(NonceSize, TagSize),
            plaintext);
        return plaintext;
    }

    private static byte[] DeriveKey(string idempotencyKey, string scope) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(idempotencyKey), 32, Encoding.UTF8.GetBytes(scope), s_info);
}
