namespace Chirp.Api.Chirps;

/// <summary>POST /chirps. Body: 1 to 140 Unicode code points; line breaks allowed.</summary>
public sealed record CreateChirpRequest(string? Body);

public sealed record ChirpResponse
{
    public Guid Id { get; init; }

    public Guid AuthorId { get; init; }

    public string Body { get; init; } = "";

    public DateTime CreatedAt { get; init; }
}

/// <summary>One page of an author's chirps, newest first; pass <see cref="NextCursor"/> as ?after= for the next (null: no more).</summary>
public sealed record TimelinePage(IReadOnlyList<ChirpResponse> Items, string? NextCursor)
{
    /// <summary>The first <paramref name="limit"/> of <paramref name="newestFirst"/>, with a cursor when more follow.</summary>
    public static TimelinePage Slice(IReadOnlyList<ChirpResponse> newestFirst, int limit, bool moreBeyond)
    {
        ArgumentNullException.ThrowIfNull(newestFirst);
        var items = newestFirst.Take(limit).ToList();
        var more = newestFirst.Count > limit || moreBeyond;
        return new TimelinePage(items, more && items.Count > 0 ? TimelineCursor.After(items[^1]).Encode() : null);
    }
}
