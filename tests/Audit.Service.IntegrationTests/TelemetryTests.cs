using System.Collections.Concurrent;
using System.Diagnostics;
using Sandbox.Testing;

namespace Audit.Service.IntegrationTests;

public sealed class TelemetryTests(PostgresFixture postgres, KafkaFixture kafka)
{
    [Fact]
    public async Task The_consume_span_continues_the_trace_of_the_message_and_the_audit_insert_span_is_its_child()
    {
        var producerSpan = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Audit.Service",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == producerSpan.TraceId)
                {
                    spans.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var database = await AuditDatabase.CreateAsync(postgres, "trace");
        var topics = await AuditTopics.CreateAsync(kafka, "trace");
        await using var service = AuditServiceFactory.Create(database.ConnectionString, kafka.BootstrapServers, topics);
        _ = service.Services;
        var e = ChirpEvent.ChirpCreated(Guid.NewGuid());

        var delivered = await e.ProduceAsync(kafka, topics.Events, producerSpan);

        await Eventually.HoldsAsync(() => Task.FromResult(spans.Any(s => s.OperationName == $"process {topics.Events}")), "the consume span");
        var consume = spans.Single(s => s.OperationName == $"process {topics.Events}");
        var insert = spans.Single(s => s.OperationName == "audit insert");
        Assert.Equal(ActivityKind.Consumer, consume.Kind);
        Assert.Equal(producerSpan.SpanId, consume.ParentSpanId);
        Assert.Equal(consume.SpanId, insert.ParentSpanId);
        Assert.Equal(producerSpan.TraceId, insert.TraceId);
        Assert.Equal("kafka", consume.GetTagItem("messaging.system"));
        Assert.Equal("process", consume.GetTagItem("messaging.operation.type"));
        Assert.Equal(topics.Events, consume.GetTagItem("messaging.destination.name"));
        Assert.Equal(topics.Group, consume.GetTagItem("messaging.consumer.group.name"));
        Assert.Equal(e.ActorId.ToString(), consume.GetTagItem("messaging.kafka.message.key"));
        Assert.Equal(delivered.Offset.Value, consume.GetTagItem("messaging.kafka.offset"));
        Assert.Equal("0", consume.GetTagItem("messaging.destination.partition.id"));
        Assert.Equal("postgresql", insert.GetTagItem("db.system"));
        Assert.Equal("INSERT", insert.GetTagItem("db.operation.name"));
        Assert.Equal("audit_events", insert.GetTagItem("db.collection.name"));
        Assert.Equal(false, insert.GetTagItem("audit.duplicate"));
        Assert.Equal(
            producerSpan.TraceId.ToHexString(),
            await AuditRows.ScalarAsync<string>(database.DataSource, "SELECT trace_id FROM audit_events WHERE event_id = $1", e.EventId));
    }
}
