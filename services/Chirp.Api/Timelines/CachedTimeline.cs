using Chirp.Api.Chirps;

namespace Chirp.Api.Timelines;

/// <summary>
/// What Redis holds per author: the newest chirps (up to the largest page size) and whether there are older ones.
/// Any first page, whatever its limit, is a slice of it.
/// </summary>
public sealed record CachedTimeline(IReadOnlyList<ChirpResponse> Chirps, bool HasMore)
{
    public TimelinePage FirstPage(int limit) => TimelinePage.Slice(Chirps, limit, HasMore);
}
