namespace Audit.Service.Ingestion;

/// <summary>The Kafka bootstrap servers, from the connection string named "kafka".</summary>
internal sealed record KafkaConnection(string BootstrapServers)
{
    public const string ConnectionName = "kafka";
}
