using Audit.Service.Search;

namespace Audit.Service.UnitTests;

public sealed class SearchInputTests
{
    [Fact]
    public void A_cursor_round_trips_to_the_microsecond()
    {
        var cursor = new SearchCursor(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero).AddTicks(1_234_560), 987654321);

        Assert.True(SearchCursor.TryDecode(cursor.Encode(), out var decoded));
        Assert.Equal(cursor, decoded);
    }

    [Theory]
    [InlineData("!!!")]
    [InlineData("dGhpcyBpcyBub3QgYSBjdXJzb3I")]
    [InlineData("djE6MTIzOmFiYw")]
    [InlineData("djI6MTIzOjQ1Ng")]
    [InlineData("djE6OTk5OTk5OTk5OTk5OTk5OTk5OjE")]
    public void Malformed_cursors_are_refused(string text)
    {
        Assert.False(SearchCursor.TryDecode(text, out _));
    }

    [Fact]
    public void No_filter_at_all_is_a_valid_search_of_the_newest_events()
    {
        Assert.True(AuditSearchFilter.TryCreate(null, null, null, null, null, null, null, null, out var filter, out _));

        Assert.Equal(AuditSearchFilter.DefaultLimit, filter!.Limit);
        Assert.Equal("time", filter.Shape);
    }

    [Fact]
    public void Times_with_offsets_become_utc_and_an_unencoded_plus_is_forgiven()
    {
        Assert.True(AuditSearchFilter.TryCreate(null, null, null, null, "2026-11-21T13:00:00 01:00", "2026-11-22T00:00:00Z", "10", null, out var filter, out var errors), string.Join(";", errors.Keys));

        Assert.Equal(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero), filter!.From);
        Assert.Equal(TimeSpan.Zero, filter.From!.Value.Offset);
    }

    [Theory]
    [InlineData("actorId", "abc", null, null, null, null)]
    [InlineData("resourceId", null, "123", null, null, null)]
    [InlineData("from", null, null, "2026-11-22T00:00:00Z", "2026-11-21T00:00:00Z", null)]
    [InlineData("from", null, null, "2026-11-21", null, null)]
    [InlineData("to", null, null, null, "2026-11-21T00:00:00", null)]
    [InlineData("limit", null, null, null, null, "0")]
    [InlineData("limit", null, null, null, null, "501")]
    [InlineData("limit", null, null, null, null, "ten")]
    [InlineData("limit", null, null, null, null, "-5")]
    public void Bad_input_is_reported_under_its_parameter_name(string field, string? actorId, string? resourceId, string? from, string? to, string? limit)
    {
        Assert.False(AuditSearchFilter.TryCreate(actorId, null, resourceId, null, from, to, limit, null, out var filter, out var errors));

        Assert.Null(filter);
        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public void A_malformed_cursor_is_reported_as_cursor()
    {
        Assert.False(AuditSearchFilter.TryCreate(null, null, null, null, null, null, null, "garbage!", out _, out var errors));

        Assert.Equal(["cursor"], errors.Keys);
    }

    [Fact]
    public void Too_long_text_filters_are_refused()
    {
        Assert.False(AuditSearchFilter.TryCreate(null, new string('x', 201), null, new string('y', 201), null, null, null, null, out _, out var errors));

        Assert.Equal(["action", "resourceType"], errors.Keys.Order(StringComparer.Ordinal));
    }
}
