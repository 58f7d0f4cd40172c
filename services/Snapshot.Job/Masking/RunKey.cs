using System.Security.Cryptography;

namespace Snapshot.Job.Masking;

/// <summary>
/// The run's secret: 32 random bytes, made when a run starts and kept in its work database, so a resumed run masks
/// exactly as the interrupted one did. Gone with the work database, which makes every keyed mask one-way for good.
/// </summary>
internal sealed class RunKey
{
    public const int Size = 32;
    private const int BlockSize = 64; // SHA-256's block size (RFC 2104's B)

    public RunKey(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length != Size)
        {
            throw new ArgumentException($"A run key is {Size} bytes.", nameof(key));
        }

        Bytes = key;
        InnerPad = Pad(key, 0x36);
        OuterPad = Pad(key, 0x5c);
    }

    public byte[] Bytes { get; }

    /// <summary>The key XOR 0x36, padded to the block size: HMAC's inner pad.</summary>
    public byte[] InnerPad { get; }

    /// <summary>The key XOR 0x5c, padded to the block size: HMAC's outer pad.</summary>
    public byte[] OuterPad { get; }

    public static RunKey Random() => new(RandomNumberGenerator.GetBytes(Size));

    /// <summary>A key given as 64 hex digits (the tests' Snapshot:Testing:RunKey).</summary>
    public static RunKey FromHex(string hex)
    {
        try
        {
            return new RunKey(Convert.FromHexString(hex));
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            throw new SnapshotConfigurationException($"Snapshot:Testing:RunKey must be {Size * 2} hex digits.");
        }
    }

    private static byte[] Pad(byte[] key, byte value)
    {
        var pad = new byte[BlockSize];
        for (var i = 0; i < BlockSize; i++)
        {
            pad[i] = (byte)((i < key.Length ? key[i] : 0) ^ value);
        }

        return pad;
    }
}
