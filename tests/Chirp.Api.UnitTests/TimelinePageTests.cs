using Chirp.Api.Chirps;

namespace Chirp.Api.UnitTests;

public sealed class TimelinePageTests
{
    private static readonly List<ChirpResponse> s_newestFirst = Enumerable.Range(0, 5)
        .Select(i => new ChirpResponse { Id = Guid.CreateVersion7(), CreatedAt = DateTime.UnixEpoch.AddSeconds(100 - i), Body = $"{i}" })
        .ToList();

    [Fact]
    public void A_slice_with_more_behind_it_points_at_its_last_item()
    {
        var page = TimelinePage.Slice(s_newestFirst, limit: 2, moreBeyond: false);

        Assert.Equal(s_newestFirst.Take(2), page.Items);
        Assert.True(TimelineCursor.TryDecode(page.NextCursor, out var cursor));
        Assert.Equal(TimelineCursor.After(s_newestFirst[1]), cursor);
    }

    [Fact]
    public void The_whole_list_has_a_cursor_only_if_more_lie_beyond_it()
    {
        Assert.Null(TimelinePage.Slice(s_newestFirst, limit: 5, moreBeyond: false).NextCursor);
        Assert.NotNull(TimelinePage.Slice(s_newestFirst, limit: 5, moreBeyond: true).NextCursor);
        Assert.Null(TimelinePage.Slice([], limit: 5, moreBeyond: false).NextCursor);
    }
}
