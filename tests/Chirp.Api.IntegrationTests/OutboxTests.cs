using System.Diagnostics;
using System.Net;

namespace Chirp.Api.IntegrationTests;

/// <summary>Every write stores its events in the outbox, in the same transaction (the relay is off here).</summary>
public sealed class OutboxTests(ChirpApiFixture api) : IClassFixture<ChirpApiFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_write_stores_its_events_keyed_by_the_acting_user()
    {
        var user = await api.Client.SignUpAsync();
        var chirp = await api.Client.ChirpAsync(user, "into the outbox");
        using (await api.Client.SendAsync(HttpMethod.Delete, $"/chirps/{chirp.Id}", user))
        {
        }

        var rows = await OutboxRows.ForKeyAsync(api.AppDb, user.Id);

        Assert.Equal(["user.created", "apikey.created", "chirp.created", "chirp.deleted"], rows.Select(row => row.Type));
        Assert.All(rows, row =>
        {
            Assert.Equal(api.Topic, row.Topic);
            Assert.Equal(user.Id.ToString("D"), row.Key);
            Assert.Null(row.SentAt);
            Assert.Equal(row.EventId, row.Payload.GetProperty("eventId").GetGuid());
            Assert.Equal(row.Type, row.Payload.GetProperty("type").GetString());
            Assert.Equal(user.Id, row.Payload.GetProperty("actorId").GetGuid());
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$", row.Payload.GetProperty("occurredAt").GetString());
            Assert.Equal(row.Type, row.Headers.GetProperty("event-type").GetString());
            Assert.Equal("application/json", row.Headers.GetProperty("content-type").GetString());
        });
        Assert.All(rows, row => Assert.Equal(
            ["actorId", "data", "eventId", "occurredAt", "resourceId", "resourceType", "type"],
            row.Payload.EnumerateObject().Select(property => property.Name).Order(StringComparer.Ordinal)));
        var created = rows.Single(row => row.Type == "chirp.created").Payload;
        Assert.Equal("chirp", created.GetProperty("resourceType").GetString());
        Assert.Equal(chirp.Id, created.GetProperty("resourceId").GetGuid());
        Assert.Equal("into the outbox", created.GetProperty("data").GetProperty("body").GetString());
        Assert.Equal(chirp.CreatedAt, created.GetProperty("occurredAt").GetDateTime().ToUniversalTime());
    }

    [Fact]
    public async Task Key_events_carry_the_key_id_and_prefix_but_never_the_key_or_its_hash()
    {
        var user = await api.Client.SignUpAsync();

        var keyEvent = (await OutboxRows.ForKeyAsync(api.AppDb, user.Id)).Single(row => row.Type == "apikey.created");

        var data = keyEvent.Payload.GetProperty("data");
        Assert.Equal(["keyId", "prefix"], data.EnumerateObject().Select(property => property.Name).Order(StringComparer.Ordinal));
        Assert.Equal(user.ApiKey[..22], data.GetProperty("prefix").GetString());
        Assert.DoesNotContain(user.ApiKey[23..], keyEvent.Payload.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("api_key", keyEvent.Payload.GetProperty("resourceType").GetString());
    }

    [Fact]
    public async Task The_row_records_the_requests_trace_context()
    {
        var user = await api.Client.SignUpAsync();
        var traceId = ActivityTraceId.CreateRandom();
        using var request = ApiClient.Request(HttpMethod.Post, "/chirps", user, new Chirps.CreateChirpRequest("traced"));
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await api.Client.SendAsync(request, Cancellation);

        var row = (await OutboxRows.ForKeyAsync(api.AppDb, user.Id)).Single(row => row.Type == "chirp.created");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Matches($"^00-{traceId}-[0-9a-f]{{16}}-01$", row.Headers.GetProperty("traceparent").GetString());
    }

    [Fact]
    public async Task A_write_that_fails_at_commit_leaves_neither_the_change_nor_its_event()
    {
        // A deferred constraint trigger fails the transaction at COMMIT, after both the chirp and its outbox row were inserted.
        await using (var trigger = api.AppDb.CreateCommand("""
            CREATE OR REPLACE FUNCTION refuse_marked_chirp() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.body = 'refused at commit' THEN RAISE EXCEPTION 'refused at commit'; END IF;
                RETURN NULL;
            END $$;
            DROP TRIGGER IF EXISTS chirps_refuse_at_commit ON chirps;
            CREATE CONSTRAINT TRIGGER chirps_refuse_at_commit AFTER INSERT ON chirps
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_marked_chirp();
            """))
        {
            await trigger.ExecuteNonQueryAsync(Cancellation);
        }

        var user = await api.Client.SignUpAsync();

        using var response = await api.Client.PostChirpAsync(user, "refused at commit");

        await response.AssertProblemAsync(HttpStatusCode.InternalServerError);
        var rows = await OutboxRows.ForKeyAsync(api.AppDb, user.Id);
        Assert.DoesNotContain(rows, row => row.Type == "chirp.created");
        await using var count = api.AppDb.CreateCommand("SELECT count(*) FROM chirps WHERE author_id = $1");
        count.Parameters.AddWithValue(user.Id);
        Assert.Equal(0L, await count.ExecuteScalarAsync(Cancellation));
    }

    [Fact]
    public async Task A_refused_write_stores_no_event()
    {
        var author = await api.Client.SignUpAsync();
        var other = await api.Client.SignUpAsync();
        var chirp = await api.Client.ChirpAsync(author, "not yours");

        using var forbidden = await api.Client.SendAsync(HttpMethod.Delete, $"/chirps/{chirp.Id}", other);
        using var invalid = await api.Client.PostChirpAsync(other, "");

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(["user.created", "apikey.created"], (await OutboxRows.ForKeyAsync(api.AppDb, other.Id)).Select(row => row.Type));
    }
}
