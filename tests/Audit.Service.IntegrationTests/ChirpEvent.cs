using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Audit.Service.Ingestion;
using Audit.Service.Storage;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Sandbox.Testing;

namespace Audit.Service.IntegrationTests;

/// <summary>An event as Chirp.Api publishes it on chirp.events (the contract), built and sent by the tests themselves.</summary>
internal sealed record ChirpEvent(
    Guid EventId,
    string Type,
    DateTimeOffset OccurredAt,
    Guid ActorId,
    string? ResourceType,
    Guid? ResourceId,
    JsonObject Data)
{
    // One idempotent producer for the whole test run: starting one costs a few hundred milliseconds.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, IProducer<string, byte[]>> s_producers = new(StringComparer.Ordinal);

    public static ChirpEvent ChirpCreated(Guid actorId, DateTimeOffset? occurredAt = null, string text = "hello") => new(
        Guid.NewGuid(),
        "chirp.created",
        occurredAt ?? DateTimeOffset.UtcNow,
        actorId,
        "chirp",
        Guid.NewGuid(),
        new JsonObject { ["text"] = text, ["length"] = text.Length });

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["eventId"] = EventId.ToString(),
        ["type"] = Type,
        ["occurredAt"] = OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        ["actorId"] = ActorId.ToString(),
        ["resourceType"] = ResourceType,
        ["resourceId"] = ResourceId?.ToString(),
        ["data"] = Data.DeepClone(),
    });

    /// <summary>Produces the event with the contract's key and headers; <paramref name="trace"/> becomes its traceparent.</summary>
    public async Task<DeliveryResult<string, byte[]>> ProduceAsync(KafkaFixture kafka, string topic, ActivityContext? trace = null)
    {
        var headers = new Headers
        {
            { "event-type", Encoding.UTF8.GetBytes(Type) },
            { "content-type", Encoding.UTF8.GetBytes("application/json") },
        };
        if (trace is { } context)
        {
            headers.Add("traceparent", Encoding.UTF8.GetBytes($"00-{context.TraceId}-{context.SpanId}-01"));
        }

        return await ProduceRawAsync(kafka, topic, ActorId.ToString(), ToJson(), headers);
    }

    public static async Task<DeliveryResult<string, byte[]>> ProduceRawAsync(KafkaFixture kafka, string topic, string key, byte[] value, Headers? headers = null)
    {
        var producer = s_producers.GetOrAdd(kafka.BootstrapServers, _ => new ProducerBuilder<string, byte[]>(kafka.ProducerConfig()).Build());
        return await producer.ProduceAsync(
            topic,
            new Message<string, byte[]> { Key = key, Value = value, Headers = headers ?? [] },
            TestContext.Current.CancellationToken);
    }

    /// <summary>Stores events straight through the service's own store (no Kafka), as the consumer would.</summary>
    public static async Task AppendAsync(IServiceProvider services, params IEnumerable<ChirpEvent> events)
    {
        var store = services.GetRequiredService<AuditEventStore>();
        var parsed = events.Select(e =>
        {
            Assert.True(AuditEventParser.TryParse(e.ToJson(), null, null, out var incoming, out var error), error);
            return incoming!;
        }).ToList();
        await store.AppendAsync(parsed, TestContext.Current.CancellationToken);
    }
}
