using System.Globalization;
using System.Text.Json.Serialization;

namespace Chirp.Api.Outbox;

/// <summary>
/// The value of every message on chirp.events (docs/events.md): who did what to which resource, and when.
/// <paramref name="OccurredAt"/> is the writing transaction's time, UTC, ISO-8601 with microseconds.
/// </summary>
public sealed record EventEnvelope(
    Guid EventId,
    string Type,
    string OccurredAt,
    Guid ActorId,
    string ResourceType,
    Guid ResourceId,
    object Data)
{
    /// <summary>The Kafka message key: the acting user's id, lowercase "D" format. Not part of the value.</summary>
    [JsonIgnore]
    public string Key => ActorId.ToString("D");

    public static string FormatTime(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
