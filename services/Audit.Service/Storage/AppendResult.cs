namespace Audit.Service.Storage;

/// <summary>What one append transaction did: the rows it stored, in stream order, and the event ids it had seen before.</summary>
internal sealed record AppendResult(IReadOnlyList<StoredAuditEvent> Stored, IReadOnlyList<Guid> Duplicates);

/// <summary>A row as the append wrote it; <paramref name="Stray"/> when it landed in the default partition.</summary>
internal sealed record StoredAuditEvent(long Id, Guid EventId, Guid ActorId, long Sequence, DateTimeOffset OccurredAt, byte[] Hash, bool Stray);
