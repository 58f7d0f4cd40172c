// Stands in for Aspire.Hosting.Kafka 13.6.5, which the package feed lacks (see KafkaBuilderExtensions.cs).
namespace Aspire.Hosting;

/// <summary>The images Aspire.Hosting.Kafka 13.6.5 pins.</summary>
internal static class KafkaContainerImageTags
{
    public const string Registry = "docker.io";
    public const string Image = "confluentinc/confluent-local";
    public const string Tag = "8.2.0";
    public const string KafkaUiImage = "kafbat/kafka-ui";
    public const string KafkaUiTag = "v1.5.0";
}
