using System.Diagnostics;
using System.Net;

namespace Chirp.Api.IntegrationTests;

/// <summary>
/// The spans a request leaves, all in the request's trace: Npgsql's own, the Redis instrumentation's (which Aspire's
/// integration adds), and the hand-written Kafka send span (no Kafka instrumentation is served).
/// </summary>
public sealed class TelemetryTests(RelayingChirpApiFixture api) : IClassFixture<RelayingChirpApiFixture>
{
    private const string RedisInstrumentation = "OpenTelemetry.Instrumentation.StackExchangeRedis";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_chirp_leaves_npgsql_spans_and_a_kafka_send_span_in_the_requests_trace()
    {
        var user = await api.Client.SignUpAsync();
        var traceId = ActivityTraceId.CreateRandom();
        using var spans = new SpanRecorder(traceId, "Npgsql", "Chirp.Api");

        using var request = ApiClient.Request(HttpMethod.Post, "/chirps", user, new Chirps.CreateChirpRequest("traced end to end"));
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await api.Client.SendAsync(request, Cancellation);
        await Eventually.HoldsAsync(
            () => Task.FromResult(spans.Spans.Any(span => span.Kind == ActivityKind.Producer)),
            TimeSpan.FromSeconds(30), "the relay's send span is recorded");

        Assert.Contains(spans.Spans, span => span.Source.Name == "Npgsql");
        var send = spans.Spans.Single(span => span.Kind == ActivityKind.Producer);
        Assert.Equal($"send {api.Topic}", send.DisplayName);
        Assert.Equal("kafka", send.GetTagItem("messaging.system"));
        Assert.Equal("send", send.GetTagItem("messaging.operation.type"));
        Assert.Equal(api.Topic, send.GetTagItem("messaging.destination.name"));
        Assert.Equal(user.Id.ToString(), send.GetTagItem("messaging.kafka.message.key"));
        Assert.NotNull(send.GetTagItem("messaging.kafka.offset"));
        Assert.Equal(ActivityStatusCode.Unset, send.Status);
    }

    [Fact]
    public async Task A_timeline_read_leaves_the_redis_instrumentations_client_spans_in_the_requests_trace()
    {
        var user = await api.Client.SignUpAsync();
        var traceId = ActivityTraceId.CreateRandom();
        using var spans = new SpanRecorder(traceId, RedisInstrumentation);

        // An instance of its own: the instrumentation turns commands into spans every 10 s, and when the app is disposed.
        await using (var instance = api.CreateFactory(settings => settings["Outbox:RelayEnabled"] = "false"))
        {
            using var client = instance.CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/users/{user.Id}/chirps");
            request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
            using var response = await client.SendAsync(request, Cancellation);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await Eventually.HoldsAsync(() => Task.FromResult(spans.Spans.Count >= 2), TimeSpan.FromSeconds(5), "the Redis spans are flushed");

        // Named by the command sent: a SET with a TTL goes out as SETEX.
        Assert.Equal(["GET", "SETEX"], spans.Spans.Select(span => span.DisplayName).Order(StringComparer.Ordinal));
        Assert.All(spans.Spans, span =>
        {
            Assert.Equal(ActivityKind.Client, span.Kind);
            Assert.Equal("redis", span.GetTagItem("db.system"));
            Assert.Equal("127.0.0.1", span.GetTagItem("server.address"));
            Assert.NotNull(span.GetTagItem("server.port"));
        });
    }
}
