using System.Diagnostics;
using System.Text.Json;
using Chirp.Api.Data;
using Dapper;
using Microsoft.Extensions.Options;
using OpenTelemetry.Context.Propagation;

namespace Chirp.Api.Outbox;

/// <summary>
/// Adds a domain event to the outbox inside the request's <see cref="WriteTransaction"/>: it commits with the change
/// or not at all. The row keeps the current trace context (traceparent/tracestate), so the relay's Kafka send and
/// every consumer continue the trace of the HTTP request that caused the event.
/// </summary>
public sealed class OutboxWriter(WriteTransaction write, OutboxSignal signal, IOptions<OutboxOptions> options)
{
    public const string ContentType = "application/json";
    private static readonly string s_insert = SqlText.Load("Outbox/insert_outbox.sql");
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);
    private static readonly TraceContextPropagator s_traceContext = new();
    private bool _wakeRelayRegistered;

    public async Task AddAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var transaction = await write.GetAsync(cancellationToken);
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            s_insert,
            new
            {
                envelope.EventId,
                options.Value.Topic,
                envelope.Key,
                envelope.Type,
                Payload = JsonSerializer.Serialize(envelope, s_json),
                Headers = JsonSerializer.Serialize(Headers(envelope.Type)),
            },
            transaction,
            cancellationToken: cancellationToken));

        if (!_wakeRelayRegistered)
        {
            write.AfterCommit(_ =>
            {
                signal.Notify();
                return Task.CompletedTask;
            });
            _wakeRelayRegistered = true;
        }
    }

    private static Dictionary<string, string> Headers(string type)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["event-type"] = type,
            ["content-type"] = ContentType,
        };
        if (Activity.Current is { } activity)
        {
            // The W3C propagator writes traceparent, and tracestate when there is one.
            s_traceContext.Inject(
                new PropagationContext(activity.Context, default),
                headers,
                static (carrier, key, value) => carrier[key] = value);
        }

        return headers;
    }
}
