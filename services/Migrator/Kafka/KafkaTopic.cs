namespace Migrator.Kafka;

/// <summary>A topic the system needs, with the partition count it is created with.</summary>
public sealed record KafkaTopic(string Name, int Partitions)
{
    /// <summary>
    /// The system's topics. Native mode pre-creates the same ones (scripts/lib/infra-kafka.sh, AppHost/Infrastructure/NativeInfrastructure.cs):
    /// the mock cluster has no CreateTopics.
    /// chirp.events is keyed by user id: six partitions let up to six consumers of one group share the load.
    /// </summary>
    public static IReadOnlyList<KafkaTopic> All { get; } =
    [
        new("chirp.events", 6),
        new("chirp.events.dlq", 3),
    ];
}
