using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Audit.Service.Chain;
using Confluent.Kafka;
using Sandbox.Testing;

namespace Audit.Service.IntegrationTests;

public sealed class ResilienceTests(PostgresFixture postgres, KafkaFixture kafka)
{
    [Fact]
    public async Task While_the_store_fails_the_consumer_retries_and_skips_nothing_then_stores_once_it_heals()
    {
        // Only the role exists: every insert fails (no tables) until the Migrator catches up.
        await using var database = await AuditDatabase.CreateAsync(postgres, "heal", migrations: 1);
        var topics = await AuditTopics.CreateAsync(kafka, "heal");
        await using var service = AuditServiceFactory.Create(database.ConnectionString, kafka.BootstrapServers, topics);
        using var client = service.CreateClient();
        var actor = Guid.NewGuid();
        var events = Enumerable.Range(0, 3).Select(_ => ChirpEvent.ChirpCreated(actor)).ToList();
        foreach (var e in events)
        {
            await e.ProduceAsync(kafka, topics.Events);
        }

        await Eventually.HoldsAsync(
            async () => (await PartitionTests.ReadinessEntryAsync(client, "kafka-consumer")).GetProperty("description").GetString()!.StartsWith("Storing consumed events fails", StringComparison.Ordinal),
            "the consumer to report that storing fails");
        Assert.Equal(Offset.Unset.Value, Committed(topics));

        await database.MigrateAsync();

        await Eventually.HoldsAsync(async () => await AuditRows.CountAsync(database.DataSource) == 3, "all three events once the schema is there");
        await Eventually.HoldsAsync(() => Task.FromResult(Committed(topics) == 3), "the offsets committed after the rows");
        var verification = await client.GetFromJsonAsync<ChainVerification>($"/audit/streams/{actor}/verify", TestContext.Current.CancellationToken);
        Assert.True(verification!.Valid);
        Assert.Equal(3, verification.Checked);
        Assert.Equal("Healthy", (await PartitionTests.ReadinessEntryAsync(client, "kafka-consumer")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_event_the_database_refuses_goes_to_the_dead_letter_topic_and_its_batch_neighbours_are_stored()
    {
        await using var database = await AuditDatabase.CreateAsync(postgres, "refused");
        var topics = await AuditTopics.CreateAsync(kafka, "refused");
        var actor = Guid.NewGuid();
        var before = ChirpEvent.ChirpCreated(actor);
        // Valid JSON, but beyond what PostgreSQL's numeric (and so jsonb) can hold: refused by the database itself.
        var huge = ChirpEvent.ChirpCreated(actor) with { Data = JsonNode.Parse("""{"n":1e200000}""")!.AsObject() };
        var after = ChirpEvent.ChirpCreated(actor);
        foreach (var e in new[] { before, huge, after })
        {
            await e.ProduceAsync(kafka, topics.Events);
        }

        await using var service = AuditServiceFactory.Create(database.ConnectionString, kafka.BootstrapServers, topics);
        using var client = service.CreateClient();

        await Eventually.HoldsAsync(async () => await AuditRows.CountAsync(database.DataSource, "event_id = $1", after.EventId) == 1, "the event after the refused one");
        var dead = ConsumeOne(topics.DeadLetters);

        Assert.Equal(0, await AuditRows.CountAsync(database.DataSource, "event_id = $1", huge.EventId));
        Assert.Equal(2, await AuditRows.CountAsync(database.DataSource));
        Assert.StartsWith("PostgreSQL rejected the event data", Encoding.UTF8.GetString(dead.Message.Headers.GetLastBytes("dlq.error")), StringComparison.Ordinal);
        Assert.Equal("1", Encoding.UTF8.GetString(dead.Message.Headers.GetLastBytes("dlq.original.offset")));
        var verification = await client.GetFromJsonAsync<ChainVerification>($"/audit/streams/{actor}/verify", TestContext.Current.CancellationToken);
        Assert.True(verification!.Valid);
        Assert.Equal(2, verification.Checked);
    }

    [Fact]
    public async Task Two_instances_share_the_partitions_through_a_rebalance_and_every_event_is_stored_once_in_order()
    {
        await using var database = await AuditDatabase.CreateAsync(postgres, "rebalance");
        var topics = await AuditTopics.CreateAsync(kafka, "rebalance", partitions: 6);
        var actors = Enumerable.Range(0, 12).Select(_ => Guid.NewGuid()).ToList();
        var sent = new List<ChirpEvent>();

        await using var first = AuditServiceFactory.Create(database.ConnectionString, kafka.BootstrapServers, topics);
        _ = first.Services;
        await ProduceRoundAsync();
        await Eventually.HoldsAsync(async () => await AuditRows.CountAsync(database.DataSource) > 0, "the first instance to store");
        await using var second = AuditServiceFactory.Create(database.ConnectionString, kafka.BootstrapServers, topics);
        _ = second.Services;
        for (var round = 0; round < 4; round++)
        {
            await ProduceRoundAsync();
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }

        await Eventually.HoldsAsync(async () => await AuditRows.CountAsync(database.DataSource) == sent.Count, $"all {sent.Count} events");
        Assert.Equal(sent.Count, await AuditRows.ScalarAsync<long>(database.DataSource, "SELECT count(DISTINCT event_id) FROM audit_events"));
        using var client = first.CreateClient();
        foreach (var actor in actors)
        {
            var stored = await StreamAsync(database, actor);
            Assert.Equal(sent.Where(e => e.ActorId == actor).Select(e => e.EventId), stored);
            var verification = await client.GetFromJsonAsync<ChainVerification>($"/audit/streams/{actor}/verify", TestContext.Current.CancellationToken);
            Assert.True(verification!.Valid, verification.FirstBrokenLink?.Detail);
        }

        async Task ProduceRoundAsync()
        {
            foreach (var actor in actors)
            {
                var e = ChirpEvent.ChirpCreated(actor);
                await e.ProduceAsync(kafka, topics.Events);
                sent.Add(e);
            }
        }
    }

    private static async Task<List<Guid>> StreamAsync(AuditDatabase database, Guid actor)
    {
        await using var command = database.DataSource.CreateCommand("SELECT event_id FROM audit_events WHERE actor_id = $1 ORDER BY stream_seq");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = actor });
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    private long Committed(AuditTopics topics)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(kafka.ConsumerConfig(topics.Group)).Build();
        return consumer.Committed([new TopicPartition(topics.Events, 0)], TimeSpan.FromSeconds(10)).Single().Offset.Value;
    }

    private ConsumeResult<string, byte[]> ConsumeOne(string topic)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(kafka.ConsumerConfig($"dlq-reader-{Guid.NewGuid():N}")).Build();
        consumer.Subscribe(topic);
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { } result)
            {
                consumer.Close();
                return result;
            }
        }

        throw new TimeoutException($"Nothing arrived on {topic}.");
    }
}
