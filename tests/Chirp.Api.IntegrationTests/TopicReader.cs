using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Sandbox.Testing;

namespace Chirp.Api.IntegrationTests;

/// <summary>A message as a test reads it back from Kafka.</summary>
public sealed record PublishedEvent(string Key, JsonElement Value, IReadOnlyDictionary<string, string> Headers, int Partition)
{
    public Guid EventId => Value.GetProperty("eventId").GetGuid();

    public string Type => Value.GetProperty("type").GetString()!;

    public Guid ResourceId => Value.GetProperty("resourceId").GetGuid();
}

/// <summary>Reads a test topic from the beginning with a consumer group of its own.</summary>
public static class TopicReader
{
    /// <summary>Reads until <paramref name="done"/> holds for what was read, or the timeout passes; then reads a little longer to catch duplicates.</summary>
    public static List<PublishedEvent> ReadUntil(KafkaFixture kafka, string topic, Func<List<PublishedEvent>, bool> done, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(kafka);
        ArgumentNullException.ThrowIfNull(done);
        using var consumer = new ConsumerBuilder<string, byte[]>(kafka.ConsumerConfig($"test-{Guid.NewGuid():N}"))
            .SetLogHandler((_, _) => { })
            .Build();
        consumer.Subscribe(topic);
        var events = new List<PublishedEvent>();
        var deadline = DateTime.UtcNow + timeout;
        DateTime? settleUntil = null;
        while (DateTime.UtcNow < (settleUntil ?? deadline))
        {
            TestContext.Current.CancellationToken.ThrowIfCancellationRequested();
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is { IsPartitionEOF: false, Message: not null })
            {
                events.Add(new PublishedEvent(
                    result.Message.Key,
                    JsonDocument.Parse(result.Message.Value).RootElement.Clone(),
                    result.Message.Headers.ToDictionary(header => header.Key, header => Encoding.UTF8.GetString(header.GetValueBytes()), StringComparer.Ordinal),
                    result.Partition.Value));
            }

            if (settleUntil is null && done(events))
            {
                settleUntil = DateTime.UtcNow + TimeSpan.FromSeconds(1);
            }
        }

        consumer.Close();
        return events;
    }
}
