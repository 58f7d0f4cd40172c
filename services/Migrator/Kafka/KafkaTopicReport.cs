namespace Migrator.Kafka;

/// <summary>What one provisioning run did: the topics it created and those that were already there.</summary>
public sealed record KafkaTopicReport(IReadOnlyList<string> Created, IReadOnlyList<string> AlreadyPresent);
