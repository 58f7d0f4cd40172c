using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Audit.Service.Chain;

/// <summary>
/// The bytes an audit row's hash is computed over, version 1: the canonical JSON (<see cref="CanonicalJson"/>) of
/// <code>
/// {"action":…,"actorId":…,"eventId":…,"occurredAt":…,"payload":…,"recordedAt":…,"resourceId":…,"resourceType":…,"sequence":…,"v":1}
/// </code>
/// with UUIDs in lowercase 8-4-4-4-12 form, timestamps in UTC as yyyy-MM-ddTHH:mm:ss.ffffffZ (microseconds, as
/// PostgreSQL stores them), resourceId and resourceType null when absent, sequence a plain integer.
/// hash = SHA-256(prev_hash || those bytes); the first row of a stream has 32 zero bytes as prev_hash.
/// </summary>
internal static class AuditCanonicalForm
{
    public const int Version = 1;
    public const int HashLength = 32;
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    /// <summary>prev_hash of a stream's first row.</summary>
    public static ReadOnlyMemory<byte> GenesisHash { get; } = new byte[HashLength];

    public static byte[] Bytes(AuditChainFields fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        // Members in ordinal order of their names, which the canonical form requires.
        var text = new StringBuilder(256 + fields.CanonicalPayload.Length);
        text.Append("{\"action\":");
        CanonicalJson.WriteString(fields.Action, text);
        text.Append(",\"actorId\":\"").Append(Uuid(fields.ActorId)).Append('"');
        text.Append(",\"eventId\":\"").Append(Uuid(fields.EventId)).Append('"');
        text.Append(",\"occurredAt\":\"").Append(Timestamp(fields.OccurredAt)).Append('"');
        text.Append(",\"payload\":");
        var prefix = CanonicalJson.Encode(text.ToString());
        text.Clear();
        text.Append(",\"recordedAt\":\"").Append(Timestamp(fields.RecordedAt)).Append('"');
        text.Append(",\"resourceId\":").Append(fields.ResourceId is { } resourceId ? $"\"{Uuid(resourceId)}\"" : "null");
        text.Append(",\"resourceType\":");
        if (fields.ResourceType is null)
        {
            text.Append("null");
        }
        else
        {
            CanonicalJson.WriteString(fields.ResourceType, text);
        }

        text.Append(CultureInfo.InvariantCulture, $",\"sequence\":{fields.Sequence},\"v\":{Version}}}");
        var suffix = CanonicalJson.Encode(text.ToString());
        return [.. prefix, .. fields.CanonicalPayload, .. suffix];
    }

    public static byte[] Hash(ReadOnlySpan<byte> previousHash, ReadOnlySpan<byte> canonicalBytes)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(previousHash);
        sha.AppendData(canonicalBytes);
        return sha.GetHashAndReset();
    }

    public static byte[] Hash(ReadOnlySpan<byte> previousHash, AuditChainFields fields) => Hash(previousHash, Bytes(fields));

    /// <summary>PostgreSQL keeps microseconds; hashing must see exactly what it keeps.</summary>
    public static DateTimeOffset TruncateToMicroseconds(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % 10), TimeSpan.Zero);

    private static string Uuid(Guid value) => value.ToString("D", CultureInfo.InvariantCulture);

    private static string Timestamp(DateTimeOffset value) =>
        TruncateToMicroseconds(value).UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);
}
