using Chirp.Api.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Sandbox.Testing;

namespace Chirp.Api.IntegrationTests;

/// <summary>
/// Several relays over one outbox never publish a row twice (FOR UPDATE SKIP LOCKED). The fixture's own relay is off,
/// so the relays a test starts are the only ones.
/// </summary>
public sealed class RelayConcurrencyTests(ChirpApiFixture api, KafkaFixture kafka) : IClassFixture<ChirpApiFixture>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_relay_skips_rows_another_relay_holds_and_each_row_is_published_once()
    {
        var topic = KafkaFixture.UniqueTopic("skip-locked");
        await using var manual = api.CreateFactory(settings =>
        {
            settings["Outbox:RelayEnabled"] = "false";
            settings["Outbox:BatchSize"] = "10";
        });
        var publisher = manual.Services.GetRequiredService<OutboxPublisher>();
        var eventIds = await InsertEventsAsync(topic, count: 20);

        // Another relay's transaction holds the first ten rows.
        await using var holder = await api.AppDb.OpenConnectionAsync(Cancellation);
        await using var held = await holder.BeginTransactionAsync(Cancellation);
        await using (var claim = new Npgsql.NpgsqlCommand(
            "SELECT id FROM outbox WHERE topic = $1 ORDER BY id LIMIT 10 FOR UPDATE", holder, held))
        {
            claim.Parameters.AddWithValue(topic);
            await claim.ExecuteNonQueryAsync(Cancellation);
        }

        var whileHeld = await publisher.PublishBatchAsync(Cancellation);
        await held.RollbackAsync(Cancellation);
        var afterRelease = await publisher.PublishBatchAsync(Cancellation);

        Assert.Equal(new OutboxBatchResult(Published: 10, Failed: 0), whileHeld);
        Assert.Equal(new OutboxBatchResult(Published: 10, Failed: 0), afterRelease);
        var events = TopicReader.ReadUntil(kafka, topic, read => read.Count >= 20, s_timeout);
        Assert.Equal(eventIds.Order(), events.Select(e => e.EventId).Order());
    }

    [Fact]
    public async Task Two_relays_at_once_publish_every_row_exactly_once()
    {
        var topic = KafkaFixture.UniqueTopic("two-relays");
        void Relay(Dictionary<string, string?> settings)
        {
            settings["Outbox:RelayEnabled"] = "true";
            settings["Outbox:BatchSize"] = "7";
            settings["Outbox:PollInterval"] = "00:00:00.050";
        }

        await using var first = api.CreateFactory(Relay);
        await using var second = api.CreateFactory(Relay);
        first.StartServer();
        second.StartServer();

        var eventIds = await InsertEventsAsync(topic, count: 300);
        await Eventually.HoldsAsync(async () => await UnsentOnTopicAsync(topic) == 0, s_timeout, "both relays have published every row");

        var events = TopicReader.ReadUntil(kafka, topic, read => read.Count >= eventIds.Count, s_timeout);
        Assert.Equal(eventIds.Count, events.Count);
        Assert.Equal(eventIds.Order(), events.Select(e => e.EventId).Order());
    }

    private static async Task<int> PublishTopicAsync(OutboxPublisher publisher, string topic)
    {
        _ = topic;
        var result = await publisher.PublishBatchAsync(Cancellation);
        Assert.Equal(0, result.Failed);
        return result.Published;
    }

    /// <summary>Outbox rows written straight into the table, as many writes would, for a topic only this test reads.</summary>
    private async Task<List<Guid>> InsertEventsAsync(string topic, int count)
    {
        var ids = Enumerable.Range(0, count).Select(_ => Guid.CreateVersion7()).ToList();
        await using var command = api.AppDb.CreateCommand("""
            INSERT INTO outbox (event_id, topic, key, type, payload, headers)
            SELECT id, $1, (ARRAY['a','b','c','d'])[1 + n % 4], 'test.event',
                   jsonb_build_object('eventId', id, 'type', 'test.event', 'resourceId', id), '{"event-type":"test.event"}'
            FROM unnest($2::uuid[]) WITH ORDINALITY AS t(id, n)
            """);
        command.Parameters.AddWithValue(topic);
        command.Parameters.AddWithValue(ids.ToArray());
        await command.ExecuteNonQueryAsync(Cancellation);
        return ids;
    }

    private async Task<long> UnsentOnTopicAsync(string topic)
    {
        await using var command = api.AppDb.CreateCommand("SELECT count(*) FROM outbox WHERE topic = $1 AND sent_at IS NULL");
        command.Parameters.AddWithValue(topic);
        return (long)(await command.ExecuteScalarAsync(Cancellation))!;
    }
}
