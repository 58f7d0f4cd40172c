using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Chirp.Api.Data;
using Chirp.Api.Telemetry;
using Confluent.Kafka;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace Chirp.Api.Outbox;

/// <summary>
/// One relay pass: claim a batch of unsent rows (FOR UPDATE SKIP LOCKED), send them to Kafka in id order, wait for every
/// delivery report, then mark the acknowledged rows sent and the others failed, and commit. A row is marked sent only
/// after Kafka acknowledged it, so nothing is lost; a crash between the two means the row is sent again (at least
/// once), which is why events carry an id consumers deduplicate on.
/// </summary>
public sealed partial class OutboxPublisher(
    NpgsqlDataSource dataSource,
    KafkaProducer producer,
    ChirpMetrics metrics,
    ServiceTelemetry telemetry,
    IOptions<OutboxOptions> options,
    ILogger<OutboxPublisher> logger)
{
    private static readonly string s_claim = SqlText.Load("Outbox/claim_batch.sql");
    private static readonly string s_markSent = SqlText.Load("Outbox/mark_sent.sql");
    private static readonly string s_markFailed = SqlText.Load("Outbox/mark_failed.sql");
    private static readonly string s_countUnsent = SqlText.Load("Outbox/count_unsent.sql");
    private static readonly TraceContextPropagator s_traceContext = new();

    public async Task<OutboxBatchResult> PublishBatchAsync(CancellationToken cancellationToken)
    {
        var unsent = await CountUnsentAsync(cancellationToken);
        metrics.RecordBacklog(unsent);
        if (unsent == 0)
        {
            return OutboxBatchResult.Empty;
        }

        using var activity = telemetry.ActivitySource.StartActivity("outbox publish", ActivityKind.Internal);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<OutboxRow>(new CommandDefinition(
            s_claim, new { options.Value.BatchSize }, transaction, cancellationToken: cancellationToken))).AsList();
        activity?.SetTag("outbox.claimed", rows.Count);
        if (rows.Count == 0)
        {
            return OutboxBatchResult.Empty; // Another relay holds them.
        }

        var kafka = producer.Get();
        // Started one after another without awaiting: librdkafka keeps this order per partition.
        var deliveries = rows.Select(row => SendAsync(kafka, row)).ToList();
        var outcomes = await Task.WhenAll(deliveries);

        // From here on Kafka has the messages: recording that must not be cancelled, or they would be sent twice.
        var sent = outcomes.Where(outcome => outcome.Error is null).Select(outcome => outcome.RowId).ToArray();
        if (sent.Length > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(s_markSent, new { Ids = sent }, transaction));
        }

        foreach (var failed in outcomes.Where(outcome => outcome.Error is not null).GroupBy(outcome => outcome.Error))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                s_markFailed, new { Ids = failed.Select(outcome => outcome.RowId).ToArray(), Error = failed.Key }, transaction));
        }

        await transaction.CommitAsync(CancellationToken.None);
        var failedCount = outcomes.Length - sent.Length;
        metrics.EventsPublished.Add(sent.Length);
        metrics.PublishFailures.Add(failedCount);
        metrics.RecordBacklog(Math.Max(0, unsent - sent.Length));
        if (failedCount > 0)
        {
            LogDeliveryFailed(failedCount, outcomes.First(outcome => outcome.Error is not null).Error!);
        }

        return new OutboxBatchResult(sent.Length, failedCount);
    }

    /// <summary>Counts unsent rows without a trace: an idle relay asks every second, and those spans would bury the real ones.</summary>
    public async Task<long> CountUnsentAsync(CancellationToken cancellationToken)
    {
        using var untraced = SuppressInstrumentationScope.Begin();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(s_countUnsent, cancellationToken: cancellationToken));
    }

    private async Task<DeliveryOutcome> SendAsync(IProducer<string, byte[]> kafka, OutboxRow row)
    {
        var stored = JsonSerializer.Deserialize<Dictionary<string, string>>(row.Headers) ?? [];
        var parent = s_traceContext.Extract(default, stored, static (carrier, key) =>
            carrier.TryGetValue(key, out var value) ? [value] : []).ActivityContext;
        using var activity = telemetry.ActivitySource.StartActivity($"send {row.Topic}", ActivityKind.Producer, parent);
        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("messaging.operation.type", "send");
        activity?.SetTag("messaging.operation.name", "send");
        activity?.SetTag("messaging.destination.name", row.Topic);
        activity?.SetTag("messaging.kafka.message.key", row.Key);
        activity?.SetTag("messaging.message.id", row.EventId.ToString());
        activity?.SetTag("messaging.client.id", "chirp-api");

        var message = new Message<string, byte[]>
        {
            Key = row.Key,
            Value = Encoding.UTF8.GetBytes(row.Payload),
            Headers = MessageHeaders(stored, activity?.Context ?? parent, activity?.TraceStateString),
        };
        try
        {
            var report = await kafka.ProduceAsync(row.Topic, message);
            activity?.SetTag("messaging.destination.partition.id", report.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            activity?.SetTag("messaging.kafka.offset", report.Offset.Value);
            return new DeliveryOutcome(row.Id, Error: null);
        }
        catch (KafkaException ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Error.Reason);
            activity?.SetTag("error.type", ex.Error.Code.ToString());
            if (ex.Error.IsFatal)
            {
                producer.Replace(kafka);
            }

            return new DeliveryOutcome(row.Id, $"{ex.Error.Code}: {ex.Error.Reason}");
        }
    }

    /// <summary>
    /// The stored headers, with traceparent/tracestate of the send span: it is a child of the span that wrote the row,
    /// so the trace id is the HTTP request's and a consumer's span hangs under this send. Without a listener (no
    /// tracing) the stored context goes out unchanged.
    /// </summary>
    private static Headers MessageHeaders(Dictionary<string, string> stored, ActivityContext context, string? traceState)
    {
        var headers = new Headers();
        foreach (var (key, value) in stored)
        {
            if (key is not ("traceparent" or "tracestate"))
            {
                headers.Add(key, Encoding.UTF8.GetBytes(value));
            }
        }

        if (context != default)
        {
            var withState = new ActivityContext(context.TraceId, context.SpanId, context.TraceFlags, traceState ?? context.TraceState);
            s_traceContext.Inject(new PropagationContext(withState, default), headers,
                static (carrier, key, value) => carrier.Add(key, Encoding.UTF8.GetBytes(value)));
        }

        return headers;
    }

    private sealed record DeliveryOutcome(long RowId, string? Error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} outbox event(s) were not acknowledged by Kafka and stay in the outbox: {Error}")]
    private partial void LogDeliveryFailed(int count, string error);
}
