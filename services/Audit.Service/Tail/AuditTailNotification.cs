using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Audit.Service.Tail;

/// <summary>
/// The PostgreSQL notification that tells every instance's tail which events were just committed:
/// channel <see cref="Channel"/>, payload a JSON array of [eventId, occurredAt] pairs (the row's key, so a listener
/// reads it from one partition). A payload must stay under PostgreSQL's 8000-byte limit, so a large append sends several.
/// </summary>
internal static class AuditTailNotification
{
    public const string Channel = "audit_events";
    private const int MaxPayloadBytes = 7000;

    public static IEnumerable<string> Payloads(IEnumerable<(Guid EventId, DateTimeOffset OccurredAt)> keys)
    {
        var payload = new StringBuilder("[");
        foreach (var (eventId, occurredAt) in keys)
        {
            var entry = string.Create(
                CultureInfo.InvariantCulture,
                $"[\"{eventId:D}\",\"{occurredAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'}\"]");
            if (payload.Length > 1 && payload.Length + entry.Length + 2 > MaxPayloadBytes)
            {
                yield return payload.Append(']').ToString();
                payload.Clear().Append('[');
            }

            if (payload.Length > 1)
            {
                payload.Append(',');
            }

            payload.Append(entry);
        }

        if (payload.Length > 1)
        {
            yield return payload.Append(']').ToString();
        }
    }

    public static IReadOnlyList<(Guid EventId, DateTimeOffset OccurredAt)> Parse(string payload)
    {
        var keys = new List<(Guid, DateTimeOffset)>();
        using var document = JsonDocument.Parse(payload);
        foreach (var pair in document.RootElement.EnumerateArray())
        {
            keys.Add((pair[0].GetGuid(), pair[1].GetDateTimeOffset()));
        }

        return keys;
    }
}
