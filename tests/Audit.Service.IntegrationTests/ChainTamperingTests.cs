using System.Net;
using System.Net.Http.Json;
using Audit.Service.Chain;
using Microsoft.AspNetCore.Mvc;
using Sandbox.Testing;

namespace Audit.Service.IntegrationTests;

/// <summary>Someone with full rights (the superuser) changes stored rows; the chain check finds the first broken link.</summary>
public sealed class ChainTamperingTests(PostgresFixture postgres)
{
    [Fact]
    public async Task An_edited_row_is_named_as_the_first_broken_link()
    {
        await using var database = await AuditDatabase.CreateAsync(postgres, "edit");
        await using var service = AuditServiceFactory.Create(database.ConnectionString, "127.0.0.1:1");
        var (actor, events) = await SeedStreamAsync(service, 4);

        await AuditRows.ExecuteAsync(database.DataSource, """UPDATE audit_events SET payload = '{"text":"edited","length":6}' WHERE event_id = $1""", events[1].EventId);
        var verification = await VerifyAsync(service, actor);

        Assert.False(verification.Valid);
        Assert.Equal(2, verification.Checked);
        var link = verification.FirstBrokenLink!;
        Assert.Equal(("hash-mismatch", 2L, events[1].EventId), (link.Reason, link.Sequence, link.EventId));
        Assert.NotEqual(link.Expected, link.Actual);
        Assert.Matches("^[0-9a-f]{64}$", link.Expected);
    }

    [Fact]
    public async Task A_deleted_row_is_detected_where_the_sequence_jumps()
    {
        await using var database = await AuditDatabase.CreateAsync(postgres, "delete");
        await using var service = AuditServiceFactory.Create(database.ConnectionString, "127.0.0.1:1");
        var (actor, events) = await SeedStreamAsync(service, 4);

        await AuditRows.ExecuteAsync(database.DataSource, "DELETE FROM audit_events WHERE event_id = $1", events[1].EventId);
        var verification = await VerifyAsync(service, actor);

        var link = verification.FirstBrokenLink!;
        Assert.False(verification.Valid);
        Assert.Equal(("sequence-gap", 3L, events[2].EventId, "2", "3"), (link.Reason, link.Sequence, link.EventId, link.Expected, link.Actual));
    }

    [Fact]
    public async Task A_deleted_last_row_is_detected_against_the_chain_head()
    {
        await using var database = await AuditDatabase.CreateAsync(postgres, "truncate");
        await using var service = AuditServiceFactory.Create(database.ConnectionString, "127.0.0.1:1");
        var (actor, events) = await SeedStreamAsync(service, 3);

        await AuditRows.ExecuteAsync(database.DataSource, "DELETE FROM audit_events WHERE event_id = $1", events[2].EventId);
        var verification = await VerifyAsync(service, actor);

        Assert.False(verification.Valid);
        Assert.Equal(("head-mismatch", "3", "2"), (verification.FirstBrokenLink!.Reason, verification.FirstBrokenLink.Expected, verification.FirstBrokenLink.Actual));
    }

    [Fact]
    public async Task Reordered_rows_are_detected_at_the_first_row_out_of_place()
    {
        await using var database = await AuditDatabase.CreateAsync(postgres, "reorder");
        await using var service = AuditServiceFactory.Create(database.ConnectionString, "127.0.0.1:1");
        var (actor, events) = await SeedStreamAsync(service, 4);

        // Swap the places of rows 2 and 3 in the stream.
        await AuditRows.ExecuteAsync(
            database.DataSource,
            "UPDATE audit_events SET stream_seq = CASE stream_seq WHEN 2 THEN 3 ELSE 2 END WHERE actor_id = $1 AND stream_seq IN (2, 3)",
            actor);
        var verification = await VerifyAsync(service, actor);

        var link = verification.FirstBrokenLink!;
        Assert.Equal(("prev-hash-mismatch", 2L, events[2].EventId), (link.Reason, link.Sequence, link.EventId));
    }

    [Fact]
    public async Task An_untouched_stream_verifies_an_unknown_actor_is_404_and_a_bad_id_is_400_naming_it()
    {
        await using var database = await AuditDatabase.CreateAsync(postgres, "verify");
        await using var service = AuditServiceFactory.Create(database.ConnectionString, "127.0.0.1:1");
        var (actor, _) = await SeedStreamAsync(service, 3);
        using var client = service.CreateClient();

        var verification = await VerifyAsync(service, actor);
        var unknown = await client.GetAsync(new Uri($"/audit/streams/{Guid.NewGuid()}/verify", UriKind.Relative), TestContext.Current.CancellationToken);
        var bad = await client.GetAsync(new Uri("/audit/streams/not-a-uuid/verify", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.True(verification.Valid);
        Assert.Equal((3L, 3L), (verification.Checked, verification.HeadSequence));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<ValidationProblemDetails>(TestContext.Current.CancellationToken);
        Assert.Contains("actorId", problem!.Errors.Keys);
    }

    private static async Task<(Guid Actor, List<ChirpEvent> Events)> SeedStreamAsync(AuditServiceFactory service, int count)
    {
        var actor = Guid.NewGuid();
        var start = DateTimeOffset.UtcNow.AddMinutes(-count);
        var events = Enumerable.Range(0, count).Select(i => ChirpEvent.ChirpCreated(actor, start.AddMinutes(i), $"chirp {i}")).ToList();
        foreach (var e in events)
        {
            await ChirpEvent.AppendAsync(service.Services, e);
        }

        return (actor, events);
    }

    private static async Task<ChainVerification> VerifyAsync(AuditServiceFactory service, Guid actor)
    {
        using var client = service.CreateClient();
        var response = await client.GetAsync(new Uri($"/audit/streams/{actor}/verify", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ChainVerification>(TestContext.Current.CancellationToken))!;
    }
}
