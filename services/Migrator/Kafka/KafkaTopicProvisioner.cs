using System.Diagnostics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace Migrator.Kafka;

/// <summary>
/// Creates the system's Kafka topics that do not exist yet, with their partition counts: Kafka's own default
/// (one partition, created on first use) would leave a consumer group nothing to share.
/// </summary>
public static class KafkaTopicProvisioner
{
    private static readonly ActivitySource s_activitySource = new(DatabaseMigrator.ActivitySourceName);

    public static async Task<KafkaTopicReport> EnsureAsync(
        string bootstrapServers,
        IReadOnlyList<KafkaTopic> topics,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var activity = s_activitySource.StartActivity("kafka topics ensure", ActivityKind.Client);
        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("server.address", bootstrapServers);

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers })
            .SetLogHandler((_, _) => { })
            .Build();
        var metadata = admin.GetMetadata(timeout);
        var existing = metadata.Topics.Where(topic => topic.Error.Code == ErrorCode.NoError).Select(topic => topic.Topic).ToHashSet(StringComparer.Ordinal);
        var missing = topics.Where(topic => !existing.Contains(topic.Name)).ToList();
        var present = topics.Where(topic => existing.Contains(topic.Name)).Select(topic => topic.Name).ToList();
        activity?.SetTag("sandbox.kafka.topics.present", present.Count);
        activity?.SetTag("sandbox.kafka.topics.missing", missing.Count);
        if (missing.Count == 0)
        {
            return new KafkaTopicReport([], present);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var replicationFactor = (short)Math.Min(3, metadata.Brokers.Count);
        try
        {
            await admin.CreateTopicsAsync(
                missing.Select(topic => new TopicSpecification { Name = topic.Name, NumPartitions = topic.Partitions, ReplicationFactor = replicationFactor }),
                new CreateTopicsOptions { RequestTimeout = timeout, OperationTimeout = timeout });
        }
        catch (CreateTopicsException ex) when (ex.Results.All(result => result.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
        {
            // Another Migrator created some of them meanwhile: that is the state we want.
        }

        return new KafkaTopicReport(missing.Select(topic => topic.Name).ToList(), present);
    }
}
