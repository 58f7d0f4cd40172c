using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Confluent.Kafka;

namespace Audit.Service.Ingestion;

/// <summary>The consumer's lag per assigned partition, written by the consumer's thread and read by the metrics exporter.</summary>
internal sealed class ConsumerLag
{
    private readonly ConcurrentDictionary<TopicPartition, long> _lag = new();
    private string _group = string.Empty;

    /// <summary>Recomputes the lag of every assigned partition from the consumer's cached watermarks and its position.</summary>
    public void Update(IConsumer<byte[]?, byte[]?> consumer, string group)
    {
        _group = group;
        var assigned = consumer.Assignment;
        foreach (var gone in _lag.Keys.Except(assigned))
        {
            _lag.TryRemove(gone, out _);
        }

        foreach (var partition in assigned)
        {
            var high = consumer.GetWatermarkOffsets(partition).High;
            var position = consumer.Position(partition);
            if (high != Offset.Unset && position != Offset.Unset)
            {
                _lag[partition] = Math.Max(0, high.Value - position.Value);
            }
        }
    }

    public void Clear() => _lag.Clear();

    public IEnumerable<Measurement<long>> Measure() =>
        _lag.Select(entry => new Measurement<long>(
            entry.Value,
            new KeyValuePair<string, object?>("messaging.destination.name", entry.Key.Topic),
            new KeyValuePair<string, object?>("messaging.destination.partition.id", entry.Key.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new KeyValuePair<string, object?>("messaging.consumer.group.name", _group)));
}
