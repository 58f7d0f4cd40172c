using System.Net.Http.Json;
using System.Text;
using Audit.Service.Chain;
using Audit.Service.Ingestion;
using Confluent.Kafka;
using Sandbox.Testing;

namespace Audit.Service.IntegrationTests;

public sealed class IngestionTests(PostgresFixture postgres, KafkaFixture kafka)
{
    [Fact]
    public async Task Events_are_stored_once_each_in_per_actor_chains_that_verify()
    {
        await using var database = await AuditDatabase.CreateAsync(postgres, "ingest");
        var topics = await AuditTopics.CreateAsync(kafka, "ingest", partitions: 3);
        await using var service = AuditServiceFactory.Create(database.ConnectionString, kafka.BootstrapServers, topics);
        using var client = service.CreateClient();
        var alice = Guid.NewGuid();
        var bob = Guid.NewGuid();
        var events = new[] { alice, bob, alice, alice, bob }.Select(actor => ChirpEvent.ChirpCreated(actor)).ToList();

        foreach (var e in events)
        {
            await e.ProduceAsync(kafka, topics.Events);
        }

        await Eventually.HoldsAsync(async () => await AuditRows.CountAsync(database.DataSource) == 5, "5 stored events");
        var aliceSequence = await SequenceOfAsync(database, alice);
        Assert.Equal([1L, 2L, 3L], aliceSequence.Select(row => row.Sequence));
        Assert.Equal(events.Where(e => e.ActorId == alice).Select(e => e.EventId), aliceSequence.Select(row => row.EventId));
        foreach (var actor in new[] { alice, bob })
        {
            var verification = await client.GetFromJsonAsync<ChainVerification>($"/audit/streams/{actor}/verify", TestContext.Current.CancellationToken);
            Assert.True(verification!.Valid, $"chain of {actor}: {verification.FirstBrokenLink}");
        }
    }

    [Fact]
    public async Task A_duplicate_delivery_yields_one_row_and_the_chain_stays_valid()
    {
        await using var database = await AuditDatabase.CreateAsync(postgres, "dup");
        var topics = await AuditTopics.CreateAsync(kafka, "dup");
        await using var service = AuditServiceFactory.Create(database.ConnectionString, kafka.BootstrapServers, topics);
        using var client = service.CreateClient();
        var actor = Guid.NewGuid();
        var first = ChirpEvent.ChirpCreated(actor);
        var after = ChirpEvent.ChirpCreated(actor);

        await first.ProduceAsync(kafka, topics.Events);
        await first.ProduceAsync(kafka, topics.Events);
        // Redelivered later too, with a different occurredAt: still the same event id, still one row.
        await (first with { OccurredAt = first.OccurredAt.AddDays(-40) }).ProduceAsync(kafka, topics.Events);
        await after.ProduceAsync(kafka, topics.Events);

        await Eventually.HoldsAsync(async () => await AuditRows.CountAsync(database.DataSource, "event_id = $1", after.EventId) == 1, "the event after the duplicates");
        Assert.Equal(1, await AuditRows.CountAsync(database.DataSource, "event_id = $1", first.EventId));
        Assert.Equal(2, await AuditRows.CountAsync(database.DataSource));
        Assert.Equal([1L, 2L], (await SequenceOfAsync(database, actor)).Select(row => row.Sequence));
        var verification = await client.GetFromJsonAsync<ChainVerification>($"/audit/streams/{actor}/verify", TestContext.Current.CancellationToken);
        Assert.True(verification!.Valid);
        Assert.Equal(2, verification.Checked);
    }

    [Fact]
    public async Task A_poison_message_goes_to_the_dead_letter_topic_with_error_and_origin_and_the_consumer_goes_on()
    {
        await using var database = await AuditDatabase.CreateAsync(postgres, "dlq");
        var topics = await AuditTopics.CreateAsync(kafka, "dlq");
        await using var service = AuditServiceFactory.Create(database.ConnectionString, kafka.BootstrapServers, topics);
        _ = service.Services;
        var actor = Guid.NewGuid();
        var poisonHeaders = new Headers { { "traceparent", Encoding.UTF8.GetBytes("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01") } };
        var notJson = await ChirpEvent.ProduceRawAsync(kafka, topics.Events, actor.ToString(), Encoding.UTF8.GetBytes("{not json"), poisonHeaders);
        var missingActor = await ChirpEvent.ProduceRawAsync(
            kafka, topics.Events, actor.ToString(), Encoding.UTF8.GetBytes("""{"eventId":"0b9c4f8e-2f3a-4c1d-9e55-6a7b8c9d0e1f","type":"chirp.created","occurredAt":"2026-11-21T12:00:00Z"}"""));
        var good = ChirpEvent.ChirpCreated(actor);
        await good.ProduceAsync(kafka, topics.Events);

        await Eventually.HoldsAsync(async () => await AuditRows.CountAsync(database.DataSource, "event_id = $1", good.EventId) == 1, "the good event after the poison");
        var dead = ConsumeAll(topics.DeadLetters, 2);

        Assert.Equal(1, await AuditRows.CountAsync(database.DataSource));
        var first = dead.Single(message => Header(message, DeadLetterPublisher.OriginalOffsetHeader) == notJson.Offset.Value.ToString());
        Assert.Equal("{not json", Encoding.UTF8.GetString(first.Message.Value));
        Assert.Equal(actor.ToString(), first.Message.Key);
        Assert.StartsWith("value: not valid JSON", Header(first, DeadLetterPublisher.ErrorHeader), StringComparison.Ordinal);
        Assert.Equal(topics.Events, Header(first, DeadLetterPublisher.OriginalTopicHeader));
        Assert.Equal(notJson.Partition.Value.ToString(), Header(first, DeadLetterPublisher.OriginalPartitionHeader));
        Assert.Equal("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", Header(first, "traceparent"));
        var second = dead.Single(message => Header(message, DeadLetterPublisher.OriginalOffsetHeader) == missingActor.Offset.Value.ToString());
        Assert.Equal("actorId: missing", Header(second, DeadLetterPublisher.ErrorHeader));
        await Eventually.HoldsAsync(() => Task.FromResult(Committed(topics) == 3), "offsets committed past the poison messages and the good event");
    }

    [Fact]
    public async Task Offsets_are_committed_only_after_the_insert_so_a_consumer_stopped_in_between_gets_a_redelivery_and_still_one_row()
    {
        await using var database = await AuditDatabase.CreateAsync(postgres, "commit");
        var topics = await AuditTopics.CreateAsync(kafka, "commit");
        var actor = Guid.NewGuid();
        var e = ChirpEvent.ChirpCreated(actor);
        var stuck = new StopBeforeCommit(database.DataSource);
        await e.ProduceAsync(kafka, topics.Events);

        await using (var crashing = AuditServiceFactory.Create(
            database.ConnectionString, kafka.BootstrapServers, topics, services => services.AddSingletonCommitter(stuck)))
        {
            _ = crashing.Services;
            var rowsAtCommit = await stuck.Reached.Task.WaitAsync(TimeSpan.FromSeconds(45), TestContext.Current.CancellationToken);
            Assert.Equal(1, rowsAtCommit);
        }

        Assert.Equal(Offset.Unset.Value, Committed(topics));
        await using var restarted = AuditServiceFactory.Create(database.ConnectionString, kafka.BootstrapServers, topics);
        _ = restarted.Services;
        await Eventually.HoldsAsync(() => Task.FromResult(Committed(topics) == 1), "the redelivered event's offset committed by the second consumer");

        Assert.Equal(1, await AuditRows.CountAsync(database.DataSource, "event_id = $1", e.EventId));
        Assert.Equal(1, await AuditRows.ScalarAsync<long>(database.DataSource, "SELECT last_seq FROM audit_stream_heads WHERE actor_id = $1", actor));
    }

    private static async Task<List<(long Sequence, Guid EventId)>> SequenceOfAsync(AuditDatabase database, Guid actor)
    {
        await using var command = database.DataSource.CreateCommand("SELECT stream_seq, event_id FROM audit_events WHERE actor_id = $1 ORDER BY stream_seq");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = actor });
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<(long, Guid)>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            rows.Add((reader.GetInt64(0), reader.GetGuid(1)));
        }

        return rows;
    }

    private long Committed(AuditTopics topics)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(kafka.ConsumerConfig(topics.Group)).Build();
        return consumer.Committed([new TopicPartition(topics.Events, 0)], TimeSpan.FromSeconds(10)).Single().Offset.Value;
    }

    private List<ConsumeResult<string, byte[]>> ConsumeAll(string topic, int expected)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(kafka.ConsumerConfig($"dlq-reader-{Guid.NewGuid():N}")).Build();
        consumer.Subscribe(topic);
        var results = new List<ConsumeResult<string, byte[]>>();
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (results.Count < expected && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { } result)
            {
                results.Add(result);
            }
        }

        consumer.Close();
        Assert.Equal(expected, results.Count);
        return results;
    }

    private static string? Header(ConsumeResult<string, byte[]> message, string key) =>
        message.Message.Headers.TryGetLastBytes(key, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
}
