using Confluent.Kafka;
using Sandbox.Testing;

namespace Infrastructure.IntegrationTests;

public sealed class KafkaTests(KafkaFixture kafka)
{
    private static readonly TimeSpan s_consumeTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void Cluster_has_three_brokers()
    {
        var metadata = kafka.Admin.GetMetadata(TimeSpan.FromSeconds(10));

        Assert.Equal(3, metadata.Brokers.Count);
    }

    [Fact]
    public async Task A_topic_gets_the_partition_count_asked_for()
    {
        var topic = KafkaFixture.UniqueTopic("partitions");

        await kafka.CreateTopicAsync(topic, partitions: 7);

        var metadata = kafka.Admin.GetMetadata(topic, TimeSpan.FromSeconds(10));
        Assert.Equal(7, Assert.Single(metadata.Topics).Partitions.Count);
    }

    [Fact]
    public async Task Keyed_messages_keep_their_order_per_key_through_a_consumer_group()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var topic = KafkaFixture.UniqueTopic("order");
        await kafka.CreateTopicAsync(topic, partitions: 6);
        var keys = Enumerable.Range(0, 12).Select(i => $"account-{i}").ToArray();
        const int perKey = 20;

        using (var producer = new ProducerBuilder<string, string>(kafka.ProducerConfig()).Build())
        {
            for (var sequence = 0; sequence < perKey; sequence++)
            {
                foreach (var key in keys)
                {
                    producer.Produce(topic, new Message<string, string> { Key = key, Value = sequence.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                }
            }

            producer.Flush(cancellation);
        }

        var consumed = ConsumeAll(topic, $"infra-{Guid.NewGuid():N}", keys.Length * perKey, cancellation);

        Assert.Equal(keys.Length * perKey, consumed.Count);
        foreach (var group in consumed.GroupBy(message => message.Message.Key))
        {
            Assert.Single(group.Select(message => message.Partition.Value).Distinct());
            Assert.Equal(Enumerable.Range(0, perKey), group.Select(message => int.Parse(message.Message.Value, System.Globalization.CultureInfo.InvariantCulture)));
        }

        Assert.True(consumed.Select(message => message.Partition.Value).Distinct().Count() > 1, "keys should spread over several partitions");
    }

    [Fact]
    public async Task A_committed_group_resumes_after_its_last_commit()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var topic = KafkaFixture.UniqueTopic("resume");
        await kafka.CreateTopicAsync(topic, partitions: 1);
        var group = $"infra-{Guid.NewGuid():N}";
        using (var producer = new ProducerBuilder<string, string>(kafka.ProducerConfig()).Build())
        {
            for (var i = 0; i < 10; i++)
            {
                await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = $"m{i}" }, cancellation);
            }
        }

        var first = ConsumeAll(topic, group, 10, cancellation);
        using (var producer = new ProducerBuilder<string, string>(kafka.ProducerConfig()).Build())
        {
            await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "m10" }, cancellation);
        }

        var second = ConsumeAll(topic, group, 1, cancellation);

        Assert.Equal(10, first.Count);
        Assert.Equal("m10", Assert.Single(second).Message.Value);
    }

    [Fact]
    public async Task A_closing_member_hands_its_partitions_to_the_rest_of_the_group_at_once()
    {
        // KIP-848's group protocol: the classic one would wait out the closed member's session (45 s by default).
        var cancellation = TestContext.Current.CancellationToken;
        var topic = KafkaFixture.UniqueTopic("handover");
        var group = $"test-handover-{Guid.NewGuid():N}";
        await kafka.CreateTopicAsync(topic, 6);

        using var leaving = new ConsumerBuilder<string, string>(kafka.ConsumerConfig(group)).Build();
        using var staying = new ConsumerBuilder<string, string>(kafka.ConsumerConfig(group)).Build();
        leaving.Subscribe(topic);
        staying.Subscribe(topic);
        await PollUntilAsync(() => leaving.Assignment.Count + staying.Assignment.Count == 6 && leaving.Assignment.Count > 0, [leaving, staying], cancellation);

        leaving.Close();
        var handedOver = await PollUntilAsync(() => staying.Assignment.Count == 6, [staying], cancellation, TimeSpan.FromSeconds(15));

        Assert.True(handedOver, $"the remaining member owns {staying.Assignment.Count} of 6 partitions 15 s after the other closed");
    }

    // Group membership advances only while the members poll.
    private static async Task<bool> PollUntilAsync(Func<bool> condition, IConsumer<string, string>[] members, CancellationToken cancellation, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? s_consumeTimeout);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            foreach (var member in members)
            {
                member.Consume(TimeSpan.FromMilliseconds(100));
            }

            await Task.Yield();
            cancellation.ThrowIfCancellationRequested();
        }

        return true;
    }

    private List<ConsumeResult<string, string>> ConsumeAll(string topic, string groupId, int expected, CancellationToken cancellation)
    {
        using var consumer = new ConsumerBuilder<string, string>(kafka.ConsumerConfig(groupId)).Build();
        consumer.Subscribe(topic);
        var results = new List<ConsumeResult<string, string>>();
        var deadline = DateTime.UtcNow + s_consumeTimeout;
        while (results.Count < expected && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (result is not null && !result.IsPartitionEOF)
            {
                results.Add(result);
            }
        }

        cancellation.ThrowIfCancellationRequested();
        if (results.Count > 0)
        {
            consumer.Commit();
        }

        consumer.Close();
        return results;
    }
}
