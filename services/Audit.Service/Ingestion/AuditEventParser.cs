using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Audit.Service.Chain;

namespace Audit.Service.Ingestion;

/// <summary>
/// Reads one message value of <c>chirp.events</c>: UTF-8 JSON
/// <c>{"eventId","type","occurredAt","actorId","resourceType","resourceId","data"}</c>. eventId, type, occurredAt
/// (ISO 8601 with an explicit offset) and actorId are required; resourceType, resourceId and data may be absent or
/// null; unknown types are accepted (an audit log records what happened). A value that does not fit is poison and
/// the error names the field.
/// </summary>
internal static partial class AuditEventParser
{
    public const int MaxTextLength = 200;
    private const string EmptyPayload = "{}";
    private static readonly JsonDocumentOptions s_options = new() { MaxDepth = 64 };

    public static bool TryParse(
        ReadOnlyMemory<byte> value,
        string? traceId,
        KafkaSource? source,
        out IncomingAuditEvent? parsed,
        out string? error)
    {
        parsed = null;
        error = null;
        if (value.IsEmpty)
        {
            error = "value: empty message (expected a JSON object)";
            return false;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(value, s_options);
        }
        catch (JsonException ex)
        {
            error = $"value: not valid JSON ({ex.Message})";
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = $"value: expected a JSON object, got {root.ValueKind}";
                return false;
            }

            if (!TryRequiredUuid(root, "eventId", out var eventId, out error)
                || !TryText(root, "type", required: true, out var action, out error)
                || !TryTimestamp(root, "occurredAt", out var occurredAt, out error)
                || !TryRequiredUuid(root, "actorId", out var actorId, out error)
                || !TryText(root, "resourceType", required: false, out var resourceType, out error)
                || !TryOptionalUuid(root, "resourceId", out var resourceId, out error)
                || !TryPayload(root, out var payloadJson, out var canonicalPayload, out error))
            {
                return false;
            }

            parsed = new IncomingAuditEvent(
                eventId, action!, occurredAt, actorId, resourceType, resourceId, payloadJson, canonicalPayload, traceId, source);
            return true;
        }
    }

    private static bool TryRequiredUuid(JsonElement root, string name, out Guid value, out string? error)
    {
        value = Guid.Empty;
        if (!TryOptionalUuid(root, name, out var optional, out error))
        {
            return false;
        }

        if (optional is null)
        {
            error = $"{name}: missing";
            return false;
        }

        value = optional.Value;
        return true;
    }

    private static bool TryOptionalUuid(JsonElement root, string name, out Guid? value, out string? error)
    {
        value = null;
        error = null;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            error = $"{name}: expected a UUID string, got {element.ValueKind}";
            return false;
        }

        if (!Guid.TryParseExact(element.GetString(), "D", out var guid) || guid == Guid.Empty)
        {
            error = $"{name}: '{Shorten(element.GetString())}' is not a non-empty UUID (8-4-4-4-12 hex digits)";
            return false;
        }

        value = guid;
        return true;
    }

    private static bool TryText(JsonElement root, string name, bool required, out string? value, out string? error)
    {
        value = null;
        error = null;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            error = required ? $"{name}: missing" : null;
            return !required;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            error = $"{name}: expected a string, got {element.ValueKind}";
            return false;
        }

        string text;
        try
        {
            text = element.GetString()!;
            CanonicalJson.WriteString(text, new System.Text.StringBuilder());
            CanonicalJson.Encode(text);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            error = $"{name}: {ex.Message}";
            return false;
        }

        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxTextLength)
        {
            error = $"{name}: must be 1 to {MaxTextLength} characters, not blank";
            return false;
        }

        value = text;
        return true;
    }

    private static bool TryTimestamp(JsonElement root, string name, out DateTimeOffset value, out string? error)
    {
        value = default;
        error = null;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            error = $"{name}: missing";
            return false;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            error = $"{name}: expected an ISO 8601 timestamp string, got {element.ValueKind}";
            return false;
        }

        var text = element.GetString()!;
        if (!IsoTimestamp().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            error = $"{name}: '{Shorten(text)}' is not an ISO 8601 timestamp with an offset (e.g. 2026-11-21T12:00:00.123456Z)";
            return false;
        }

        value = AuditCanonicalForm.TruncateToMicroseconds(parsed);
        return true;
    }

    private static bool TryPayload(JsonElement root, out string payloadJson, out byte[] canonical, out string? error)
    {
        payloadJson = EmptyPayload;
        canonical = [];
        error = null;
        JsonElement data;
        if (!root.TryGetProperty("data", out data) || data.ValueKind == JsonValueKind.Null)
        {
            using var empty = JsonDocument.Parse(EmptyPayload);
            canonical = CanonicalJson.Canonicalize(empty.RootElement);
            return true;
        }

        if (data.ValueKind != JsonValueKind.Object)
        {
            error = $"data: expected a JSON object, got {data.ValueKind}";
            return false;
        }

        try
        {
            canonical = CanonicalJson.Canonicalize(data);
        }
        catch (FormatException ex)
        {
            error = $"data: {ex.Message}";
            return false;
        }

        payloadJson = data.GetRawText();
        return true;
    }

    private static string Shorten(string? text) =>
        text is null ? string.Empty : text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");

    // The offset is required: without it a timestamp would be read in the server's time zone, and an audit record must not guess.
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoTimestamp();
}
