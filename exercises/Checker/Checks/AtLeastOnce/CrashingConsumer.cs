using System.Diagnostics;
using Confluent.Kafka;

namespace Lab.Checker.Checks.AtLeastOnce;

/// <summary>
/// The consumer the learner's code receives: the real one, except that the process can be set to die (SIGKILL,
/// no cleanup) at the moment it asks to commit, after it has consumed a given number of messages: the work is
/// done and durable, the commit never reaches Kafka.
/// </summary>
public sealed class CrashingConsumer(IConsumer<string, string> inner, int dieAtCommitAfter, int dieAfterCommitAfter = 0) : IConsumer<string, string>
{
    public const string DiedBeforeCommit = "lab06: killed just before a commit";
    public const string DiedAfterCommit = "lab06: killed just after a commit";
    private int _consumed;

    public string MemberId => inner.MemberId;

    public List<TopicPartition> Assignment => inner.Assignment;

    public List<string> Subscription => inner.Subscription;

    public IConsumerGroupMetadata ConsumerGroupMetadata => inner.ConsumerGroupMetadata;

    public Handle Handle => inner.Handle;

    public string Name => inner.Name;

    public void SetSaslCredentials(string username, string password) => inner.SetSaslCredentials(username, password);

    public ConsumeResult<string, string> Consume(int millisecondsTimeout) => Count(inner.Consume(millisecondsTimeout));

    public ConsumeResult<string, string> Consume(CancellationToken cancellationToken = default) => Count(inner.Consume(cancellationToken));

    public ConsumeResult<string, string> Consume(TimeSpan timeout) => Count(inner.Consume(timeout));

    public List<TopicPartitionOffset> Commit()
    {
        MaybeDie();
        var committed = inner.Commit();
        MaybeDieAfter(committed);
        return committed;
    }

    public void Commit(IEnumerable<TopicPartitionOffset> offsets)
    {
        MaybeDie();
        var list = offsets.ToList();
        inner.Commit(list);
        MaybeDieAfter(list);
    }

    public void Commit(ConsumeResult<string, string> result)
    {
        MaybeDie();
        inner.Commit(result);
        MaybeDieAfter([new TopicPartitionOffset(result.TopicPartition, result.Offset + 1)]);
    }

    // Storing an offset is how an auto-committing consumer asks for a commit: the checker dies there too (run 3).
    // A stored offset is committed by auto-commit within moments: when told to die after a commit, the checker commits
    // what was stored at once and dies, as if the background commit had fired just before a crash.
    public void StoreOffset(ConsumeResult<string, string> result)
    {
        MaybeDie();
        inner.StoreOffset(result);
        if (ShouldDieAfter)
        {
            MaybeDieAfter(inner.Commit());
        }
    }

    public void StoreOffset(TopicPartitionOffset offset)
    {
        MaybeDie();
        inner.StoreOffset(offset);
        if (ShouldDieAfter)
        {
            MaybeDieAfter(inner.Commit());
        }
    }

    public void Subscribe(IEnumerable<string> topics) => inner.Subscribe(topics);

    public void Subscribe(string topic) => inner.Subscribe(topic);

    public void Unsubscribe() => inner.Unsubscribe();

    public void Assign(TopicPartition partition) => inner.Assign(partition);

    public void Assign(TopicPartitionOffset partition) => inner.Assign(partition);

    public void Assign(IEnumerable<TopicPartitionOffset> partitions) => inner.Assign(partitions);

    public void Assign(IEnumerable<TopicPartition> partitions) => inner.Assign(partitions);

    public void IncrementalAssign(IEnumerable<TopicPartitionOffset> partitions) => inner.IncrementalAssign(partitions);

    public void IncrementalAssign(IEnumerable<TopicPartition> partitions) => inner.IncrementalAssign(partitions);

    public void IncrementalUnassign(IEnumerable<TopicPartition> partitions) => inner.IncrementalUnassign(partitions);

    public void Unassign() => inner.Unassign();

    public void Seek(TopicPartitionOffset tpo) => inner.Seek(tpo);

    public void Pause(IEnumerable<TopicPartition> partitions) => inner.Pause(partitions);

    public void Resume(IEnumerable<TopicPartition> partitions) => inner.Resume(partitions);

    public List<TopicPartitionOffset> Committed(TimeSpan timeout) => inner.Committed(timeout);

    public List<TopicPartitionOffset> Committed(IEnumerable<TopicPartition> partitions, TimeSpan timeout) => inner.Committed(partitions, timeout);

    public Offset Position(TopicPartition partition) => inner.Position(partition);

    public List<TopicPartitionOffset> OffsetsForTimes(IEnumerable<TopicPartitionTimestamp> timestampsToSearch, TimeSpan timeout) =>
        inner.OffsetsForTimes(timestampsToSearch, timeout);

    public WatermarkOffsets GetWatermarkOffsets(TopicPartition topicPartition) => inner.GetWatermarkOffsets(topicPartition);

    public WatermarkOffsets QueryWatermarkOffsets(TopicPartition topicPartition, TimeSpan timeout) => inner.QueryWatermarkOffsets(topicPartition, timeout);

    public int AddBrokers(string brokers) => inner.AddBrokers(brokers);

    public void Close() => inner.Close();

    public void Dispose() => inner.Dispose();

    private ConsumeResult<string, string> Count(ConsumeResult<string, string> result)
    {
        if (result?.Message is not null)
        {
            _consumed++;
        }

        return result!;
    }

    private bool ShouldDieAfter => dieAfterCommitAfter > 0 && _consumed >= dieAfterCommitAfter;

    /// <summary>Dies right after a commit reached Kafka, before the learner's code goes on: says which offsets it committed.</summary>
    private void MaybeDieAfter(IEnumerable<TopicPartitionOffset> committed)
    {
        if (ShouldDieAfter)
        {
            var offsets = string.Join(' ', committed.Select(offset => $"{offset.Partition.Value}:{offset.Offset.Value}"));
            Console.Error.WriteLine($"{DiedAfterCommit} {offsets}");
            Console.Error.Flush();
            Process.GetCurrentProcess().Kill();
        }
    }

    private void MaybeDie()
    {
        if (dieAtCommitAfter > 0 && _consumed >= dieAtCommitAfter)
        {
            Console.Error.WriteLine(DiedBeforeCommit);
            Console.Error.Flush();
            Process.GetCurrentProcess().Kill();
        }
    }
}
