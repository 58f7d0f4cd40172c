namespace Chirp.Api.Outbox;

/// <summary>What one relay pass did: rows Kafka acknowledged and rows that stay for a later attempt.</summary>
public readonly record struct OutboxBatchResult(int Published, int Failed)
{
    public static OutboxBatchResult Empty => default;
}
