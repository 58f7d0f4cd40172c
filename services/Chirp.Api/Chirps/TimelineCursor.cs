using System.Buffers.Binary;
using System.Buffers.Text;

namespace Chirp.Api.Chirps;

/// <summary>
/// Where a timeline page ends: the last chirp's (created_at, id). Opaque to clients (base64url of 8 bytes of
/// microseconds since the Unix epoch and the 16-byte id), so its format can change without breaking them.
/// </summary>
public readonly record struct TimelineCursor(DateTime CreatedAt, Guid Id)
{
    private const int Length = 24;

    public static TimelineCursor After(ChirpResponse chirp)
    {
        ArgumentNullException.ThrowIfNull(chirp);
        return new(chirp.CreatedAt, chirp.Id);
    }

    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[Length];
        var microseconds = (DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc) - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;
        BinaryPrimitives.WriteInt64BigEndian(bytes, microseconds);
        Id.TryWriteBytes(bytes[8..], bigEndian: true, out _);
        return Base64Url.EncodeToString(bytes);
    }

    public static bool TryDecode(string? text, out TimelineCursor cursor)
    {
        cursor = default;
        Span<byte> bytes = stackalloc byte[Length];
        if (string.IsNullOrEmpty(text) || text.Length != 32
            || !Base64Url.IsValid(text)
            || Base64Url.DecodeFromChars(text, bytes) != Length)
        {
            return false;
        }

        var microseconds = BinaryPrimitives.ReadInt64BigEndian(bytes);
        var maxMicroseconds = (DateTime.MaxValue - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;
        if (microseconds < 0 || microseconds > maxMicroseconds)
        {
            return false;
        }

        cursor = new TimelineCursor(
            DateTime.UnixEpoch.AddTicks(microseconds * TimeSpan.TicksPerMicrosecond),
            new Guid(bytes[8..], bigEndian: true));
        return true;
    }
}
