using Chirp.Api.Chirps;
using Chirp.Api.Users;
using Npgsql;

namespace Chirp.Api.Timelines;

/// <summary>An author's chirps, page by page: the first page through the cache, later pages from the database.</summary>
public sealed class TimelineReader(NpgsqlDataSource dataSource, TimelineCache cache)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    /// <summary>The page, or null when no user has this id.</summary>
    public async Task<TimelinePage?> ReadAsync(Guid authorId, int limit, TimelineCursor? after, CancellationToken cancellationToken)
    {
        if (after is not null)
        {
            // One row more than asked says whether another page follows.
            var rows = await ChirpStore.PageAsync(dataSource, authorId, after, limit + 1, cancellationToken);
            if (rows.Count == 0 && !await UserStore.ExistsAsync(dataSource, authorId, cancellationToken))
            {
                return null;
            }

            return TimelinePage.Slice(rows, limit, moreBeyond: false);
        }

        if (await cache.GetAsync(authorId, cancellationToken) is { } cached)
        {
            return cached.FirstPage(limit);
        }

        var newest = await ChirpStore.PageAsync(dataSource, authorId, after: null, MaxLimit + 1, cancellationToken);
        if (newest.Count == 0 && !await UserStore.ExistsAsync(dataSource, authorId, cancellationToken))
        {
            return null;
        }

        var timeline = new CachedTimeline(newest.Take(MaxLimit).ToList(), HasMore: newest.Count > MaxLimit);
        await cache.SetAsync(authorId, timeline, cancellationToken);
        return timeline.FirstPage(limit);
    }
}
