using System.Globalization;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using SandboxShared;

namespace Lab.Checker.Infrastructure;

/// <summary>
/// The exercises' side of Kafka: a fresh topic lab.NN.run per verify, and client settings tuned to show behaviour
/// within seconds rather than the defaults' minutes. Against the native mock cluster, which has no CreateTopics
/// or DeleteTopics, topics are created and deleted through its control port.
/// </summary>
public static class LabKafka
{
    public static string TopicPrefix(int exercise) => $"lab.{exercise:00}.";

    public static async Task CreateTopicAsync(LabInfrastructure infrastructure, string topic, int partitions)
    {
        using var admin = Admin(infrastructure.KafkaBootstrapServers);
        if (infrastructure.KafkaControlAddress is { } control)
        {
            await SendControlAsync(control, string.Create(CultureInfo.InvariantCulture, $"create-topic {topic} {partitions}"));
        }
        else
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = 1 }]);
        }

        await WaitForTopicAsync(admin, topic, partitions);
    }

    /// <summary>Deletes the exercise's topics (lab.NN.*): through the mock cluster's control port, else the admin API.</summary>
    public static async Task<int> DeleteTopicsAsync(LabInfrastructure infrastructure, int exercise)
    {
        using var admin = Admin(infrastructure.KafkaBootstrapServers);
        var topics = admin.GetMetadata(TimeSpan.FromSeconds(5)).Topics
            .Select(topic => topic.Topic)
            .Where(name => name.StartsWith(TopicPrefix(exercise), StringComparison.Ordinal))
            .ToList();
        if (topics.Count == 0)
        {
            return 0;
        }

        if (infrastructure.KafkaControlAddress is { } control)
        {
            foreach (var topic in topics)
            {
                await SendControlAsync(control, $"delete-topic {topic}");
            }
        }
        else
        {
            await admin.DeleteTopicsAsync(topics);
        }

        return topics.Count;
    }

    /// <summary>What a reset did to the topics, for the learner.</summary>
    public static string Describe(int deleted, int exercise) => deleted == 0
        ? $"It had no topics {TopicPrefix(exercise)}* left to delete."
        : $"Its topics {TopicPrefix(exercise)}* ({deleted}) are deleted.";

    public static ProducerConfig ProducerConfig(string bootstrapServers) => new()
    {
        BootstrapServers = bootstrapServers,
        EnableIdempotence = true,
        Acks = Acks.All,
        LingerMs = 5,
    };

    /// <summary>
    /// A group consumer from the earliest offset on KIP-848's group protocol: the broker assigns the partitions and a
    /// member that closes gives them up at once, so groups rebalance in about a second.
    /// </summary>
    public static ConsumerConfig ConsumerConfig(string bootstrapServers, string groupId) => new()
    {
        BootstrapServers = bootstrapServers,
        GroupId = groupId,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        GroupProtocol = GroupProtocol.Consumer,
        TopicMetadataRefreshIntervalMs = 1000,
    };

    private static IAdminClient Admin(string bootstrapServers) =>
        new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).SetLogHandler((_, _) => { }).Build();

    private static async Task SendControlAsync(string address, string command)
    {
        try
        {
            await MockClusterControlClient.SendAsync(address, command);
        }
        catch (InvalidOperationException e)
        {
            throw new KafkaException(new Error(ErrorCode.Local_Fail, e.Message));
        }
    }

    private static async Task WaitForTopicAsync(IAdminClient admin, string topic, int partitions)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(5));
            if (metadata.Topics.Count == 1 && metadata.Topics[0].Error.Code == ErrorCode.NoError && metadata.Topics[0].Partitions.Count == partitions)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new KafkaException(new Error(ErrorCode.UnknownTopicOrPart, $"topic {topic} did not appear with {partitions} partitions"));
    }
}
