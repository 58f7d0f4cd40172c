using System.Diagnostics;
using System.Net;
using Sandbox.Testing;

namespace Chirp.Api.IntegrationTests;

/// <summary>The outbox relay publishes each event once, keyed by user, continuing the HTTP request's trace.</summary>
public sealed class RelayTests(RelayingChirpApiFixture api, KafkaFixture kafka) : IClassFixture<RelayingChirpApiFixture>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_chirp_reaches_the_topic_keyed_by_its_author_with_the_requests_trace_id()
    {
        var user = await api.Client.SignUpAsync();
        var traceId = ActivityTraceId.CreateRandom();
        using var request = ApiClient.Request(HttpMethod.Post, "/chirps", user, new Chirps.CreateChirpRequest("to Kafka"));
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await api.Client.SendAsync(request, Cancellation);
        var chirp = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<Chirps.ChirpResponse>(response.Content, Cancellation))!;

        var events = TopicReader.ReadUntil(kafka, api.Topic, read => read.Any(e => e.Type == "chirp.created" && e.ResourceId == chirp.Id), s_timeout);

        var published = Assert.Single(events, e => e.Type == "chirp.created" && e.ResourceId == chirp.Id);
        Assert.Equal(user.Id.ToString("D"), published.Key);
        Assert.Matches($"^00-{traceId}-[0-9a-f]{{16}}-01$", published.Headers["traceparent"]);
        Assert.Equal("chirp.created", published.Headers["event-type"]);
        Assert.Equal("application/json", published.Headers["content-type"]);
        Assert.Equal("to Kafka", published.Value.GetProperty("data").GetProperty("body").GetString());
        Assert.Equal(user.Id, published.Value.GetProperty("actorId").GetGuid());
        Assert.Equal("chirp", published.Value.GetProperty("resourceType").GetString());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Published_rows_are_marked_sent_and_one_users_events_share_a_partition_in_order()
    {
        var user = await api.Client.SignUpAsync();
        for (var i = 0; i < 5; i++)
        {
            await api.Client.ChirpAsync(user, $"in order {i}");
        }

        await Eventually.HoldsAsync(
            async () => (await OutboxRows.ForKeyAsync(api.AppDb, user.Id)).All(row => row.SentAt is not null),
            s_timeout, "every row of the user is marked sent");
        var rows = await OutboxRows.ForKeyAsync(api.AppDb, user.Id);
        var events = TopicReader.ReadUntil(kafka, api.Topic, read => read.Count(e => e.Key == user.Id.ToString()) >= rows.Count, s_timeout)
            .Where(e => e.Key == user.Id.ToString())
            .ToList();

        Assert.Equal(rows.Select(row => row.EventId), events.Select(e => e.EventId));
        Assert.Single(events.Select(e => e.Partition).Distinct());
        Assert.All(rows, row => Assert.Equal(1, row.Attempts));
    }
}
