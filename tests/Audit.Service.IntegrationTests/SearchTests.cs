using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Audit.Service.Api;
using Audit.Service.Search;
using Microsoft.AspNetCore.Mvc;
using Sandbox.Testing;

namespace Audit.Service.IntegrationTests;

/// <summary>One seeded log for every search test: 3 actors, shared resources, 3 actions, 3 months, ties on occurred_at.</summary>
public sealed class SearchLog(PostgresFixture postgres) : IAsyncLifetime
{
    // Fixed ids: the theory data below is built when tests are discovered, the log when they run.
    public static readonly Guid[] Actors = [.. Enumerable.Range(1, 3).Select(i => Guid.Parse($"a0000000-0000-4000-8000-{i:D12}"))];
    public static readonly Guid[] Resources = [.. Enumerable.Range(1, 10).Select(i => Guid.Parse($"b0000000-0000-4000-8000-{i:D12}"))];
    public static readonly string[] Actions = ["chirp.created", "chirp.deleted", "apikey.created"];
    public static readonly DateTimeOffset Start = new(DateTime.UtcNow.Year, DateTime.UtcNow.Month, 1, 0, 0, 0, TimeSpan.Zero);

    private AuditDatabase? _database;

    internal AuditServiceFactory Service { get; private set; } = null!;

    internal List<ChirpEvent> Events { get; } = [];

    public async ValueTask InitializeAsync()
    {
        _database = await AuditDatabase.CreateAsync(postgres, "search");
        Service = AuditServiceFactory.Create(_database.ConnectionString, "127.0.0.1:1");
        for (var i = 0; i < 150; i++)
        {
            // Two events share each instant, so pages must break ties by id; three months, so searches cross partitions.
            var at = Start.AddMonths(i / 50).AddHours((i % 50) / 2);
            var action = Actions[i % 7 == 0 ? 2 : i % 5 == 0 ? 1 : 0];
            Events.Add(new ChirpEvent(
                Guid.NewGuid(), action, at, Actors[i % 3], action.StartsWith("chirp", StringComparison.Ordinal) ? "chirp" : "apikey", Resources[i % 10],
                new JsonObject { ["i"] = i }));
        }

        foreach (var chunk in Events.Chunk(40))
        {
            await ChirpEvent.AppendAsync(Service.Services, chunk);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Service.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

public sealed class SearchTests(SearchLog log) : IClassFixture<SearchLog>
{
    public static TheoryData<string> Queries() =>
    [
        "",
        $"actorId={SearchLog.Actors[0]}",
        $"resourceType=chirp&resourceId={SearchLog.Resources[3]}",
        $"resourceId={SearchLog.Resources[4]}",
        "resourceType=apikey",
        "action=chirp.deleted",
        $"from={SearchLog.Start.AddMonths(1):yyyy-MM-dd'T'HH:mm:ssZ}&to={SearchLog.Start.AddMonths(2).AddHours(20):yyyy-MM-dd'T'HH:mm:ssZ}",
        $"actorId={SearchLog.Actors[1]}&action=chirp.created&from={SearchLog.Start.AddHours(30):yyyy-MM-dd'T'HH:mm:ssZ}",
        $"actorId={SearchLog.Actors[2]}&resourceId={SearchLog.Resources[5]}&to={SearchLog.Start.AddMonths(2):yyyy-MM-dd'T'HH:mm:ssZ}",
    ];

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task Every_filter_combination_pages_through_exactly_the_matching_events_newest_first(string query)
    {
        using var client = log.Service.CreateClient();
        var expected = Expected(query);
        var seen = new List<AuditEventResponse>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await client.GetFromJsonAsync<AuditSearchPage>(
                $"/audit/events?{query}&limit=7{(cursor is null ? "" : $"&cursor={cursor}")}", TestContext.Current.CancellationToken);
            Assert.InRange(page!.Items.Count, expected.Count == 0 ? 0 : 1, 7);
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null && pages < 100);

        Assert.Equal(expected.Select(e => e.EventId), seen.Select(item => item.EventId));
        Assert.Equal(seen.Count, seen.Select(item => item.Id).Distinct().Count());
        Assert.Equal(Math.Max(1, (expected.Count + 6) / 7), pages);
        Assert.True(expected.Count > 0 || query.Length == 0, $"the query {query} should match something");
    }

    [Fact]
    public async Task A_search_item_carries_the_stored_event()
    {
        using var client = log.Service.CreateClient();
        var original = log.Events[42];

        var page = await client.GetFromJsonAsync<AuditSearchPage>(
            $"/audit/events?resourceId={original.ResourceId}&from={original.OccurredAt:yyyy-MM-dd'T'HH:mm:ssZ}&to={original.OccurredAt.AddSeconds(1):yyyy-MM-dd'T'HH:mm:ssZ}",
            TestContext.Current.CancellationToken);

        var item = page!.Items.Single(i => i.EventId == original.EventId);
        Assert.Equal((original.ActorId, original.Type, original.ResourceType, original.OccurredAt), (item.ActorId, item.Action, item.ResourceType, item.OccurredAt));
        Assert.Equal(42, item.Payload.GetProperty("i").GetInt32());
        Assert.Matches("^[0-9a-f]{64}$", item.Hash);
        Assert.Null(page.NextCursor);
    }

    [Theory]
    [InlineData("actorId=bob", "actorId")]
    [InlineData("resourceId=12", "resourceId")]
    [InlineData("from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z", "from")]
    [InlineData("from=last-tuesday", "from")]
    [InlineData("to=2026-11-01T00:00:00", "to")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=100000", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("cursor=bm90IGEgY3Vyc29y", "cursor")]
    [InlineData("cursor=%25%25%25", "cursor")]
    [InlineData("actorId=1&actorId=2", "actorId")]
    public async Task Bad_input_is_a_400_problem_naming_the_field(string query, string field)
    {
        using var client = log.Service.CreateClient();

        var response = await client.GetAsync(new Uri($"/audit/events?{query}", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>(TestContext.Current.CancellationToken);
        Assert.Equal([field], problem!.Errors.Keys);
    }

    [Fact]
    public async Task Odd_but_harmless_input_never_yields_a_500()
    {
        using var client = log.Service.CreateClient();
        string[] queries =
        [
            "action=" + Uri.EscapeDataString("'; DROP TABLE audit_events; --"),
            "resourceType=" + Uri.EscapeDataString("ü\u2028😀"),
            "action=" + new string('a', 200),
            "from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59Z",
            "unknown=1",
        ];

        foreach (var query in queries)
        {
            var response = await client.GetAsync(new Uri($"/audit/events?{query}", UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query}: {response.StatusCode}");
        }

        var nul = await client.GetAsync(new Uri("/audit/events?action=a%00b", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, nul.StatusCode);
    }

    private List<ChirpEvent> Expected(string query)
    {
        var parameters = query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => Uri.UnescapeDataString(pair[1]));
        string? Get(string name) => parameters.GetValueOrDefault(name);
        return log.Events
            .Where(e => Get("actorId") is not { } actor || e.ActorId == Guid.Parse(actor))
            .Where(e => Get("resourceType") is not { } type || e.ResourceType == type)
            .Where(e => Get("resourceId") is not { } resource || e.ResourceId == Guid.Parse(resource))
            .Where(e => Get("action") is not { } action || e.Type == action)
            .Where(e => Get("from") is not { } from || e.OccurredAt >= DateTimeOffset.Parse(from, System.Globalization.CultureInfo.InvariantCulture))
            .Where(e => Get("to") is not { } to || e.OccurredAt < DateTimeOffset.Parse(to, System.Globalization.CultureInfo.InvariantCulture))
            // Stored in list order, so a later event has a larger id: newest first, ties by id descending.
            .Select((e, index) => (e, index))
            .OrderByDescending(pair => pair.e.OccurredAt)
            .ThenByDescending(pair => pair.index)
            .Select(pair => pair.e)
            .ToList();
    }
}
