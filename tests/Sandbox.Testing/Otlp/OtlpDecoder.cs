using System.Globalization;
using Google.Protobuf;

namespace Sandbox.Testing;

/// <summary>A span; <see cref="Kind"/> is OTLP's SpanKind: 2 server, 3 client.</summary>
public sealed record OtlpSpan(string Name, int Kind, string TraceId, string SpanId, IReadOnlyDictionary<string, string?> Attributes, IReadOnlyDictionary<string, string?> Resource);

public sealed record OtlpLogRecord(string? Body, string? SeverityText, IReadOnlyDictionary<string, string?> Attributes, IReadOnlyDictionary<string, string?> Resource);

public sealed record OtlpMetric(string Name, IReadOnlyDictionary<string, string?> Resource);

/// <summary>
/// Reads the few fields of OTLP's export requests the tests look at, by field number, with Google.Protobuf's CodedInputStream
/// (no generated types). Request -> resource_{spans,logs,metrics} = 1 -> (resource = 1, scope_{spans,logs,metrics} = 2)
/// -> scope = 1, items = 2. Resource: attributes = 1. KeyValue: key = 1, value = 2. AnyValue: string = 1, bool = 2, int = 3.
/// Span: trace_id = 1, span_id = 2, name = 5, kind = 6, attributes = 9. LogRecord: severity_text = 3, body = 5, attributes = 6.
/// Metric: name = 1.
/// </summary>
public static class OtlpDecoder
{
    public static IEnumerable<OtlpSpan> Spans(byte[] exportTraceServiceRequest) =>
        Items(exportTraceServiceRequest, (span, resource) =>
        {
            string name = "", traceId = "", spanId = "";
            var kind = 0;
            var attributes = new Dictionary<string, string?>();
            foreach (var field in Fields(span))
            {
                switch (field.Number)
                {
                    case 1: traceId = Convert.ToHexStringLower(field.Bytes!.Span); break;
                    case 2: spanId = Convert.ToHexStringLower(field.Bytes!.Span); break;
                    case 5: name = field.Bytes!.ToStringUtf8(); break;
                    case 6: kind = (int)field.Varint; break;
                    case 9: AddKeyValue(attributes, field.Bytes!); break;
                }
            }

            return new OtlpSpan(name, kind, traceId, spanId, attributes, resource);
        });

    public static IEnumerable<OtlpLogRecord> LogRecords(byte[] exportLogsServiceRequest) =>
        Items(exportLogsServiceRequest, (record, resource) =>
        {
            string? body = null, severity = null;
            var attributes = new Dictionary<string, string?>();
            foreach (var field in Fields(record))
            {
                switch (field.Number)
                {
                    case 3: severity = field.Bytes!.ToStringUtf8(); break;
                    case 5: body = AnyValue(field.Bytes!); break;
                    case 6: AddKeyValue(attributes, field.Bytes!); break;
                }
            }

            return new OtlpLogRecord(body, severity, attributes, resource);
        });

    public static IEnumerable<OtlpMetric> Metrics(byte[] exportMetricsServiceRequest) =>
        Items(exportMetricsServiceRequest, (metric, resource) =>
            new OtlpMetric(Fields(metric).First(field => field.Number == 1).Bytes!.ToStringUtf8(), resource));

    /// <summary>The three request types share one shape: resource and scope wrappers around the items.</summary>
    private static List<T> Items<T>(byte[] request, Func<ByteString, IReadOnlyDictionary<string, string?>, T> read)
    {
        var items = new List<T>();
        foreach (var resourceItems in Fields(ByteString.CopyFrom(request)).Where(field => field.Number == 1))
        {
            var resource = new Dictionary<string, string?>();
            var scopes = new List<ByteString>();
            foreach (var field in Fields(resourceItems.Bytes!))
            {
                if (field.Number == 1)
                {
                    foreach (var attribute in Fields(field.Bytes!).Where(attribute => attribute.Number == 1))
                    {
                        AddKeyValue(resource, attribute.Bytes!);
                    }
                }
                else if (field.Number == 2)
                {
                    scopes.Add(field.Bytes!);
                }
            }

            foreach (var scope in scopes)
            {
                items.AddRange(Fields(scope).Where(field => field.Number == 2).Select(field => read(field.Bytes!, resource)));
            }
        }

        return items;
    }

    private static void AddKeyValue(Dictionary<string, string?> into, ByteString keyValue)
    {
        string key = "";
        string? value = null;
        foreach (var field in Fields(keyValue))
        {
            if (field.Number == 1)
            {
                key = field.Bytes!.ToStringUtf8();
            }
            else if (field.Number == 2)
            {
                value = AnyValue(field.Bytes!);
            }
        }

        into[key] = value;
    }

    private static string? AnyValue(ByteString anyValue)
    {
        foreach (var field in Fields(anyValue))
        {
            switch (field.Number)
            {
                case 1: return field.Bytes!.ToStringUtf8();
                case 2: return (field.Varint != 0).ToString(CultureInfo.InvariantCulture);
                case 3: return ((long)field.Varint).ToString(CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    private readonly record struct Field(int Number, ByteString? Bytes, ulong Varint);

    private static List<Field> Fields(ByteString message)
    {
        var fields = new List<Field>();
        var input = message.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var number = WireFormat.GetTagFieldNumber(tag);
            switch (WireFormat.GetTagWireType(tag))
            {
                case WireFormat.WireType.LengthDelimited:
                    fields.Add(new Field(number, input.ReadBytes(), 0));
                    break;
                case WireFormat.WireType.Varint:
                    fields.Add(new Field(number, null, input.ReadUInt64()));
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return fields;
    }
}
