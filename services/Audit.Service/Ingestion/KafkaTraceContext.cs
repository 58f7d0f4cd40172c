using System.Diagnostics;
using System.Text;
using Confluent.Kafka;

namespace Audit.Service.Ingestion;

/// <summary>W3C trace context in Kafka message headers (traceparent, tracestate), as the producers write it.</summary>
internal static class KafkaTraceContext
{
    public const string TraceParentHeader = "traceparent";
    public const string TraceStateHeader = "tracestate";

    /// <summary>The remote parent a message carries, or default when it carries none (or a malformed one).</summary>
    public static ActivityContext Extract(Headers? headers)
    {
        var traceParent = LastValue(headers, TraceParentHeader);
        if (traceParent is null)
        {
            return default;
        }

        return ActivityContext.TryParse(traceParent, LastValue(headers, TraceStateHeader), isRemote: true, out var context)
            ? context
            : default;
    }

    private static string? LastValue(Headers? headers, string key)
    {
        if (headers is null || !headers.TryGetLastBytes(key, out var bytes))
        {
            return null;
        }

        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
