using Confluent.Kafka;
using Lab.Checker.Infrastructure;

namespace Lab.Checker.Checks.AtLeastOnce;

/// <summary>Reads and carries over a group's committed offsets, from outside the group.</summary>
public sealed class Offsets(string bootstrapServers, string topic, int partitions) : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(5);
    private readonly Dictionary<string, IConsumer<Ignore, Ignore>> _clients = new(StringComparer.Ordinal);

    private IEnumerable<TopicPartition> Partitions => Enumerable.Range(0, partitions).Select(partition => new TopicPartition(topic, partition));

    /// <summary>Committed offset per partition (-1 when none).</summary>
    public long[] Committed(string group)
    {
        var consumer = Client(group);
        var committed = consumer.Committed(Partitions, s_timeout);
        return Enumerable.Range(0, partitions)
            .Select(partition => committed.FirstOrDefault(offset => offset.Partition.Value == partition)?.Offset.Value ?? -1)
            .Select(offset => offset < 0 ? -1 : offset)
            .ToArray();
    }

    public long[] Ends(string group)
    {
        var consumer = Client(group);
        return Partitions.Select(partition => consumer.QueryWatermarkOffsets(partition, s_timeout).High.Value).ToArray();
    }

    /// <summary>
    /// Gives <paramref name="to"/> the committed offsets of <paramref name="from"/>: the restarted consumer joins a
    /// fresh group that starts where the dead one committed, instead of waiting out the dead member's session.
    /// </summary>
    public void Copy(string from, string to)
    {
        var committed = Committed(from);
        var offsets = committed
            .Select((offset, partition) => new TopicPartitionOffset(topic, partition, offset))
            .Where(offset => offset.Offset.Value >= 0)
            .ToList();
        if (offsets.Count == 0)
        {
            return;
        }

        Client(to).Commit(offsets);
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }

    /// <summary>A client of the group that never joins it: committed offsets can be read and written from outside.</summary>
    private IConsumer<Ignore, Ignore> Client(string group)
    {
        if (!_clients.TryGetValue(group, out var client))
        {
            var config = LabKafka.ConsumerConfig(bootstrapServers, group);
            config.EnableAutoCommit = false;
            client = new ConsumerBuilder<Ignore, Ignore>(config).SetLogHandler((_, _) => { }).Build();
            _clients[group] = client;
        }

        return client;
    }
}
