using System.Diagnostics;

namespace Chirp.Api.IntegrationTests;

/// <summary>The spans a request leaves: Npgsql's own, the hand-written Redis and Kafka ones, all in the request's trace.</summary>
public sealed class TelemetryTests(RelayingChirpApiFixture api) : IClassFixture<RelayingChirpApiFixture>
{
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
    public async Task A_timeline_read_leaves_redis_client_spans()
    {
        var user = await api.Client.SignUpAsync();
        var traceId = ActivityTraceId.CreateRandom();
        using var spans = new SpanRecorder(traceId, "Chirp.Api");

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/users/{user.Id}/chirps");
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await api.Client.SendAsync(request, Cancellation);

        var redis = spans.Spans.Where(span => span.Kind == ActivityKind.Client).ToList();
        Assert.Equal(["GET", "SET"], redis.Select(span => span.DisplayName).Order(StringComparer.Ordinal));
        Assert.All(redis, span =>
        {
            Assert.Equal("redis", span.GetTagItem("db.system.name"));
            Assert.Equal("127.0.0.1", span.GetTagItem("server.address"));
            Assert.NotNull(span.GetTagItem("server.port"));
        });
    }
}
