using Confluent.Kafka;
using Migrator.Kafka;
using Sandbox.Testing;

namespace Migrator.IntegrationTests;

public sealed class KafkaTopicTests(KafkaFixture kafka)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void Native_infrastructure_pre_creates_every_topic_with_its_partition_count()
    {
        var metadata = kafka.Admin.GetMetadata(s_timeout);

        foreach (var topic in KafkaTopic.All)
        {
            var found = Assert.Single(metadata.Topics, candidate => candidate.Topic == topic.Name);
            Assert.Equal(topic.Partitions, found.Partitions.Count);
        }
    }

    [Fact]
    public async Task Topics_that_exist_are_reported_and_left_alone()
    {
        var topics = new[] { new KafkaTopic(KafkaFixture.UniqueTopic("provision"), 5), new KafkaTopic(KafkaFixture.UniqueTopic("provision"), 2) };
        foreach (var topic in topics)
        {
            await kafka.CreateTopicAsync(topic.Name, topic.Partitions);
        }

        var report = await KafkaTopicProvisioner.EnsureAsync(kafka.BootstrapServers, topics, s_timeout, TestContext.Current.CancellationToken);

        Assert.Empty(report.Created);
        Assert.Equal(topics.Select(topic => topic.Name), report.AlreadyPresent);
    }

    [Fact]
    public async Task An_unreachable_broker_is_an_error_not_a_hang()
    {
        await Assert.ThrowsAnyAsync<KafkaException>(() =>
            KafkaTopicProvisioner.EnsureAsync("127.0.0.1:1", KafkaTopic.All, TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken));
    }
}
