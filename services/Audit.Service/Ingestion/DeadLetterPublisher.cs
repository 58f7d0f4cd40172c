using System.Diagnostics;
using System.Globalization;
using System.Text;
using Audit.Service.Telemetry;
using Confluent.Kafka;

namespace Audit.Service.Ingestion;

/// <summary>
/// Sends a message that cannot be stored to the dead-letter topic: the original key, value and headers, plus
/// dlq.error (why), dlq.original.topic, dlq.original.partition and dlq.original.offset (where it came from).
/// Idempotent producer, acks=all: the consumer commits the message's offset only after this is acknowledged.
/// </summary>
internal sealed class DeadLetterPublisher(KafkaConnection kafka) : IDisposable
{
    public const string ErrorHeader = "dlq.error";
    public const string OriginalTopicHeader = "dlq.original.topic";
    public const string OriginalPartitionHeader = "dlq.original.partition";
    public const string OriginalOffsetHeader = "dlq.original.offset";
    private const int MaxErrorLength = 1000;

    private readonly Lazy<IProducer<byte[]?, byte[]?>> _producer = new(() =>
        new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            ClientId = "audit-service-dlq",
        }).SetLogHandler(static (_, _) => { }).Build());

    public async Task PublishAsync(
        ConsumeResult<byte[]?, byte[]?> original,
        string error,
        string deadLetterTopic,
        ActivityContext parent,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(original);
        using var activity = AuditTelemetry.Source.StartActivity($"send {deadLetterTopic}", ActivityKind.Producer, parent);
        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("messaging.operation.type", "send");
        activity?.SetTag("messaging.destination.name", deadLetterTopic);
        activity?.SetTag("error.type", "poison_message");

        var headers = new Headers();
        foreach (var header in original.Message.Headers ?? [])
        {
            headers.Add(header.Key, header.GetValueBytes());
        }

        headers.Add(ErrorHeader, Encoding.UTF8.GetBytes(error.Length <= MaxErrorLength ? error : error[..MaxErrorLength]));
        headers.Add(OriginalTopicHeader, Encoding.UTF8.GetBytes(original.Topic));
        headers.Add(OriginalPartitionHeader, Encoding.UTF8.GetBytes(original.Partition.Value.ToString(CultureInfo.InvariantCulture)));
        headers.Add(OriginalOffsetHeader, Encoding.UTF8.GetBytes(original.Offset.Value.ToString(CultureInfo.InvariantCulture)));

        var delivered = await _producer.Value.ProduceAsync(
            deadLetterTopic,
            new Message<byte[]?, byte[]?> { Key = original.Message.Key, Value = original.Message.Value, Headers = headers },
            cancellationToken);
        activity?.SetTag("messaging.destination.partition.id", delivered.Partition.Value.ToString(CultureInfo.InvariantCulture));
        activity?.SetTag("messaging.kafka.offset", delivered.Offset.Value);
    }

    public void Dispose()
    {
        if (_producer.IsValueCreated)
        {
            _producer.Value.Flush(TimeSpan.FromSeconds(5));
            _producer.Value.Dispose();
        }
    }
}
