using StackExchange.Redis;

namespace Lab;

/// <summary>
/// Exercise 08: the read path of the timeline service, with Redis in front of PostgreSQL. The README tells the
/// story; then run ./lab verify 8.
/// </summary>
/// <remarks>
/// The database side (defined by the checker):
///   store.LoadAsync(userId, token)        one query: the user's timeline, as a JSON string
///   store.PostAsync(userId, text, token)  adds a chirp in a transaction; committed when it returns
/// Several instances of the service run this code at once, each with its own process. Redis keys of this exercise
/// start with lab:08:.
/// </remarks>
public static class TimelineCache
{
    /// <summary>The user's timeline.</summary>
    public static async Task<string> ReadAsync(long userId, IDatabase cache, TimelineStore store, CancellationToken cancellationToken)
    {
        // Every read goes to the database.
        return await store.LoadAsync(userId, cancellationToken);
    }

    /// <summary>Posts a chirp to the user's timeline; once this returns, every read must show it.</summary>
    public static async Task PostAsync(long userId, string text, IDatabase cache, TimelineStore store, CancellationToken cancellationToken)
    {
        await store.PostAsync(userId, text, cancellationToken);
    }
}
