using System.Collections.Concurrent;
using Confluent.Kafka;
using Lab.Checker.Infrastructure;

namespace Lab.Checker.Checks.KafkaKeys;

/// <summary>
/// One run of exercise 05: three consumers join one group, then four producers write the events concurrently with
/// the learner's keys; the consumers apply what they read into one shared log, in the order they apply it.
/// </summary>
public sealed class OrderingRun(string bootstrapServers, string topic, IReadOnlyList<AccountEvent> events, IReadOnlyDictionary<Guid, string?> keys)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(45);
    private readonly ConcurrentDictionary<Guid, AccountEvent> _byId = new(events.ToDictionary(e => e.EventId));
    private readonly List<Applied> _applied = [];
    private readonly HashSet<Guid> _seen = [];
    // KIP-848 hands partitions over incrementally: the handlers get what is added or taken away, not the whole assignment.
    private readonly HashSet<int>[] _assigned = [.. Enumerable.Range(0, KafkaKeysCheck.Consumers).Select(_ => new HashSet<int>())];

    public async Task<Result> RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(Timeout);
        var group = topic;
        var consumers = Enumerable.Range(0, KafkaKeysCheck.Consumers)
            .Select(index => Task.Factory.StartNew(() => Consume(index, group, stop.Token), TaskCreationOptions.LongRunning))
            .ToList();
        try
        {
            await WaitForGroupAsync(stop.Token);
            var errors = await ProduceAsync(stop.Token);
            while (!stop.IsCancellationRequested && Count() < events.Count)
            {
                await Task.Delay(50, CancellationToken.None);
            }

            return new Result(Snapshot(), errors);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(consumers);
        }
    }

    private int Count()
    {
        lock (_applied)
        {
            return _applied.Count;
        }
    }

    private List<Applied> Snapshot()
    {
        lock (_applied)
        {
            return [.. _applied];
        }
    }

    /// <summary>Produce only once every partition has its consumer, so no rebalance reorders anything mid-run.</summary>
    private async Task WaitForGroupAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var assigned = AssignedCounts();
            if (assigned.Sum() == KafkaKeysCheck.Partitions && assigned.All(count => count > 0))
            {
                await Task.Delay(300, cancellationToken);
                if (AssignedCounts().SequenceEqual(assigned))
                {
                    return;
                }
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    private int[] AssignedCounts()
    {
        lock (_assigned)
        {
            return [.. _assigned.Select(partitions => partitions.Count)];
        }
    }

    private void Assign(int index, IEnumerable<TopicPartition> partitions, bool add)
    {
        lock (_assigned)
        {
            foreach (var partition in partitions)
            {
                _ = add ? _assigned[index].Add(partition.Partition.Value) : _assigned[index].Remove(partition.Partition.Value);
            }
        }
    }

    private async Task<int> ProduceAsync(CancellationToken cancellationToken)
    {
        using var producer = new ProducerBuilder<string?, string>(LabKafka.ProducerConfig(bootstrapServers)).SetLogHandler((_, _) => { }).Build();
        var errors = 0;
        var byAccount = events.GroupBy(e => e.AccountId, StringComparer.Ordinal).ToList();
        var producers = Enumerable.Range(0, KafkaKeysCheck.Producers).Select(index => Task.Run(
            async () =>
            {
                var mine = byAccount.Where((_, i) => i % KafkaKeysCheck.Producers == index).ToList();
                for (var sequence = 1; sequence <= KafkaKeysCheck.EventsPerAccount; sequence++)
                {
                    foreach (var account in mine)
                    {
                        var accountEvent = account.First(e => e.Sequence == sequence);
                        producer.Produce(
                            topic,
                            new Message<string?, string> { Key = keys[accountEvent.EventId], Value = accountEvent.EventId.ToString() },
                            report =>
                            {
                                if (report.Error.IsError)
                                {
                                    Interlocked.Increment(ref errors);
                                }
                            });
                    }

                    await Task.Yield();
                }
            },
            cancellationToken)).ToList();
        await Task.WhenAll(producers);
        producer.Flush(cancellationToken);
        return errors;
    }

    private void Consume(int index, string group, CancellationToken cancellationToken)
    {
        using var consumer = new ConsumerBuilder<string?, string>(LabKafka.ConsumerConfig(bootstrapServers, group))
            .SetLogHandler((_, _) => { })
            .SetPartitionsAssignedHandler((_, partitions) => Assign(index, partitions, add: true))
            .SetPartitionsRevokedHandler((_, partitions) => Assign(index, partitions.Select(offset => offset.TopicPartition), add: false))
            .SetPartitionsLostHandler((_, partitions) => Assign(index, partitions.Select(offset => offset.TopicPartition), add: false))
            .Build();
        consumer.Subscribe(topic);
        while (!cancellationToken.IsCancellationRequested)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result?.Message is null || !Guid.TryParse(result.Message.Value, out var id) || !_byId.TryGetValue(id, out var accountEvent))
            {
                continue;
            }

            lock (_applied)
            {
                // A redelivery after a rebalance is not a second application.
                if (_seen.Add(id))
                {
                    _applied.Add(new Applied(accountEvent, result.Partition.Value, index));
                }
            }
        }

        consumer.Close();
    }

    public sealed record Applied(AccountEvent Event, int Partition, int Consumer);

    public sealed record Result(IReadOnlyList<Applied> Applied, int ProduceErrors);
}
