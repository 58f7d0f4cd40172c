using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Xunit;

namespace Sandbox.Testing;

/// <summary>The native Kafka-protocol cluster: bootstrap servers, topic creation, client configs.</summary>
public sealed class KafkaFixture : IAsyncLifetime
{
    private static readonly TimeSpan s_metadataTimeout = TimeSpan.FromSeconds(10);
    private IAdminClient? _admin;

    public string BootstrapServers { get; private set; } = string.Empty;

    public IAdminClient Admin => _admin ?? throw new InvalidOperationException("KafkaFixture is not initialized.");

    /// <summary>A topic name no other test uses.</summary>
    public static string UniqueTopic(string purpose) => $"test.{purpose}.{Guid.NewGuid():N}";

    public ValueTask InitializeAsync()
    {
        BootstrapServers = SandboxEnvironment.ConnectionString("kafka");
        _admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers })
            .SetLogHandler((_, _) => { })
            .Build();
        try
        {
            var metadata = _admin.GetMetadata(s_metadataTimeout);
            if (metadata.Brokers.Count == 0)
            {
                throw new KafkaException(ErrorCode.Local_AllBrokersDown);
            }
        }
        catch (KafkaException ex)
        {
            throw new InfrastructureUnavailableException(
                $"Kafka does not answer at {BootstrapServers} ({ex.Message}). " +
                $"Start the native infrastructure with `{SandboxEnvironment.StartCommand}`.",
                ex);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Creates a topic with the given partition count: through the native mock cluster's control port where there is one
    /// (the mock has no CreateTopics), else through the admin API as on Apache Kafka.
    /// </summary>
    public async Task CreateTopicAsync(string topic, int partitions)
    {
        if (MockClusterControl.FromEnvironment() is { } control)
        {
            await control.CreateTopicAsync(topic, partitions);
            return;
        }

        await Admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = 1 }]);
    }

    public ProducerConfig ProducerConfig() => new()
    {
        BootstrapServers = BootstrapServers,
        EnableIdempotence = true,
        Acks = Acks.All,
        LingerMs = 5,
    };

    public ConsumerConfig ConsumerConfig(string groupId) => new()
    {
        BootstrapServers = BootstrapServers,
        GroupId = groupId,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        EnableAutoCommit = false,
        // KIP-848: the broker assigns partitions and moves a closing member's at once, as the services' consumers do.
        GroupProtocol = GroupProtocol.Consumer,
    };

    public ValueTask DisposeAsync()
    {
        _admin?.Dispose();
        return ValueTask.CompletedTask;
    }
}
