using Audit.Service.Chain;

namespace Audit.Service.Ingestion;

/// <summary>An event of <c>chirp.events</c> that parsed, ready to be appended to its actor's stream.</summary>
/// <param name="PayloadJson">The event's <c>data</c> as received (stored as jsonb).</param>
/// <param name="CanonicalPayload">The same value as <see cref="CanonicalJson"/> bytes (hashed).</param>
/// <param name="TraceId">The trace id of the message's traceparent header, when it had a valid one.</param>
internal sealed record IncomingAuditEvent(
    Guid EventId,
    string Action,
    DateTimeOffset OccurredAt,
    Guid ActorId,
    string? ResourceType,
    Guid? ResourceId,
    string PayloadJson,
    byte[] CanonicalPayload,
    string? TraceId,
    KafkaSource? Source);

/// <summary>Where a stored event was read from.</summary>
public sealed record KafkaSource(string Topic, int Partition, long Offset);
