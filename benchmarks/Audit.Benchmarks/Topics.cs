using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Sandbox.Testing;

namespace Audit.Benchmarks;

internal static class Topics
{
    /// <summary>Creates a topic: through the native mock cluster's control port when there is one, else the admin API.</summary>
    public static async Task CreateAsync(string bootstrapServers, string topic, int partitions)
    {
        if (MockClusterControl.FromEnvironment() is { } control)
        {
            await control.CreateTopicAsync(topic, partitions);
            return;
        }

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = 1 }]);
    }
}
