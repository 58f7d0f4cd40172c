namespace Audit.Service.Chain;

/// <summary>The result of recomputing an actor's hash chain.</summary>
/// <param name="Checked">Rows examined, up to and including the first broken one.</param>
/// <param name="HeadSequence">The sequence number the chain head records as the stream's last, if there is a head.</param>
public sealed record ChainVerification(Guid ActorId, bool Valid, long Checked, long? HeadSequence, BrokenLink? FirstBrokenLink);

/// <summary>
/// The first row where the chain does not hold. Reasons:
/// "sequence-gap" (a row is missing before this one: deleted, or moved elsewhere in the order),
/// "sequence-repeated" (this sequence number appeared already: a copied or reordered row),
/// "prev-hash-mismatch" (the row does not follow the previous one: a row before it was deleted, inserted or reordered),
/// "hash-mismatch" (the row's content no longer matches its hash: it was edited),
/// "unreadable-row" (the stored payload cannot be read back),
/// "head-mismatch" (the stream ends before the chain head says it does: its last rows were deleted).
/// Expected and actual are sequence numbers or lowercase hex hashes, as the reason implies.
/// </summary>
public sealed record BrokenLink(long Sequence, long? Id, Guid? EventId, string Reason, string Expected, string Actual, string Detail);
