using System.Text.Json;
using Audit.Service.Ingestion;
using Npgsql;

namespace Audit.Service.Api;

/// <summary>An audit row as the search and the live tail return it. Hashes are lowercase hex.</summary>
public sealed record AuditEventResponse(
    long Id,
    Guid EventId,
    DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt,
    Guid ActorId,
    long Sequence,
    string Action,
    string? ResourceType,
    Guid? ResourceId,
    JsonElement Payload,
    string? TraceId,
    KafkaSource? Kafka,
    string PrevHash,
    string Hash)
{
    /// <summary>
    /// The columns every reader of this shape selects, in this order:
    /// id, event_id, occurred_at, recorded_at, actor_id, stream_seq, action, resource_type, resource_id, payload::text,
    /// trace_id, kafka_topic, kafka_partition, kafka_offset, prev_hash, hash.
    /// </summary>
    internal static AuditEventResponse Read(NpgsqlDataReader reader)
    {
        using var payload = JsonDocument.Parse(reader.GetString(9));
        return new AuditEventResponse(
            reader.GetInt64(0),
            reader.GetGuid(1),
            reader.GetFieldValue<DateTimeOffset>(2),
            reader.GetFieldValue<DateTimeOffset>(3),
            reader.GetGuid(4),
            reader.GetInt64(5),
            reader.GetString(6),
            reader.IsDBNull(7) ? null : reader.GetString(7),
            reader.IsDBNull(8) ? null : reader.GetGuid(8),
            payload.RootElement.Clone(),
            reader.IsDBNull(10) ? null : reader.GetString(10),
            reader.IsDBNull(11) ? null : new KafkaSource(reader.GetString(11), reader.GetInt32(12), reader.GetInt64(13)),
            Convert.ToHexStringLower(reader.GetFieldValue<byte[]>(14)),
            Convert.ToHexStringLower(reader.GetFieldValue<byte[]>(15)));
    }
}
