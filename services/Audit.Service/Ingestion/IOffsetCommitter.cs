using Confluent.Kafka;

namespace Audit.Service.Ingestion;

/// <summary>
/// Commits consumed offsets. The consumer calls it only after the batch's rows are committed in PostgreSQL (and its
/// poison messages are acknowledged by the dead-letter topic). A seam so that tests can stop a consumer exactly
/// between the two commits.
/// </summary>
internal interface IOffsetCommitter
{
    void Commit(IConsumer<byte[]?, byte[]?> consumer, IReadOnlyList<TopicPartitionOffset> offsets, CancellationToken cancellationToken);
}

internal sealed class KafkaOffsetCommitter : IOffsetCommitter
{
    public void Commit(IConsumer<byte[]?, byte[]?> consumer, IReadOnlyList<TopicPartitionOffset> offsets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        consumer.Commit(offsets);
    }
}
