namespace Audit.Service.Chain;

/// <summary>
/// The fields of an audit row that its hash covers. Kafka coordinates and the trace id are delivery metadata and
/// are not covered; the row's database id is not either (it is assigned by the insert, after the hash).
/// </summary>
/// <param name="CanonicalPayload">The payload as <see cref="CanonicalJson"/> bytes.</param>
internal sealed record AuditChainFields(
    long Sequence,
    Guid EventId,
    DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt,
    Guid ActorId,
    string Action,
    string? ResourceType,
    Guid? ResourceId,
    byte[] CanonicalPayload);
