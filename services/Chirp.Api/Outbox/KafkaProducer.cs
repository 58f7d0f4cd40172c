using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace Chirp.Api.Outbox;

/// <summary>
/// The relay's one Kafka producer (ConnectionStrings:kafka), made on first use: idempotent with acks=all, so librdkafka's
/// own retries never duplicate or reorder a message within a partition. Replaced after a fatal error.
/// </summary>
public sealed partial class KafkaProducer(IConfiguration configuration, IOptions<OutboxOptions> options, ILogger<KafkaProducer> logger)
    : IDisposable
{
    private readonly Lock _gate = new();
    private IProducer<string, byte[]>? _producer;

    /// <exception cref="InvalidOperationException">There is no ConnectionStrings:kafka.</exception>
    public IProducer<string, byte[]> Get()
    {
        lock (_gate)
        {
            return _producer ??= Build();
        }
    }

    /// <summary>A fatal error (e.g. the idempotent producer lost its sequence) leaves the producer unusable: start a new one.</summary>
    public void Replace(IProducer<string, byte[]> failed)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_producer, failed))
            {
                _producer = null;
            }
        }

        failed.Dispose();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _producer?.Dispose();
            _producer = null;
        }
    }

    private IProducer<string, byte[]> Build()
    {
        var bootstrapServers = configuration.GetConnectionString("kafka");
        if (string.IsNullOrWhiteSpace(bootstrapServers))
        {
            throw new InvalidOperationException(
                $"{ConnectionStringExtensions.MissingMessage("kafka")} The outbox relay cannot publish; events wait in the outbox.");
        }

        var config = new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            ClientId = "chirp-api",
            EnableIdempotence = true,
            Acks = Acks.All,
            MessageTimeoutMs = (int)options.Value.DeliveryTimeout.TotalMilliseconds,
            LingerMs = 5,
            // After an outage, reconnect within seconds (librdkafka's default backs off up to 10 s).
            ReconnectBackoffMaxMs = 2_000,
        };
        return new ProducerBuilder<string, byte[]>(config)
            .SetErrorHandler((_, error) => LogKafkaError(error.Code, error.Reason, error.IsFatal))
            .SetLogHandler((_, message) => LogKafkaMessage(message.Name, message.Message))
            .Build();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka producer error {Code}: {Reason} (fatal: {IsFatal})")]
    private partial void LogKafkaError(ErrorCode code, string reason, bool isFatal);

    [LoggerMessage(Level = LogLevel.Debug, Message = "librdkafka {Client}: {Message}")]
    private partial void LogKafkaMessage(string client, string message);
}
