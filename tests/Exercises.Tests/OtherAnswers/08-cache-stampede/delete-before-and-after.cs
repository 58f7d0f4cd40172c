using StackExchange.Redis;

namespace Lab;

// Also right: the key is deleted before the write and again after its commit ("double delete").
public static class TimelineCache
{
    private static readonly TimeSpan s_timeToLive = TimeSpan.FromSeconds(60);

    // A lock outlives a load by far, and dies with its holder's process soon enough that nobody waits long.
    private static readonly TimeSpan s_lockTimeToLive = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_waitForLoad = TimeSpan.FromSeconds(3);

    private static RedisKey Key(long userId) => $"lab:08:timeline:{userId}";

    private static RedisKey LockKey(long userId) => $"lab:08:timeline:{userId}:lock";

    public static async Task<string> ReadAsync(long userId, IDatabase cache, TimelineStore store, CancellationToken cancellationToken)
    {
        try
        {
            var cached = await cache.StringGetAsync(Key(userId));
            if (cached.HasValue)
            {
                return cached.ToString();
            }

            // Single-flight: one instance loads a cold timeline, the others wait for what it caches.
            var token = Guid.NewGuid().ToString("N");
            if (await cache.LockTakeAsync(LockKey(userId), token, s_lockTimeToLive))
            {
                try
                {
                    var timeline = await store.LoadAsync(userId, cancellationToken);
                    await cache.StringSetAsync(Key(userId), timeline, Jittered(s_timeToLive));
                    return timeline;
                }
                finally
                {
                    // Releases the lock only if it is still ours (it may have expired and been taken meanwhile).
                    await cache.LockReleaseAsync(LockKey(userId), token);
                }
            }

            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (waited.Elapsed < s_waitForLoad)
            {
                await Task.Delay(20, cancellationToken);
                cached = await cache.StringGetAsync(Key(userId));
                if (cached.HasValue)
                {
                    return cached.ToString();
                }
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Redis only makes reads faster: without it, the database answers.
        }

        // Redis failed, or the instance that held the lock took too long (or died): read the database ourselves.
        return await store.LoadAsync(userId, cancellationToken);
    }

    public static async Task PostAsync(long userId, string text, IDatabase cache, TimelineStore store, CancellationToken cancellationToken)
    {
        // Deleted twice: before, so that this instance's readers stop serving the old timeline at once, and after the
        // commit, to remove whatever a read cached in between.
        await DeleteAsync(cache, userId);
        await store.PostAsync(userId, text, cancellationToken);
        await DeleteAsync(cache, userId);
    }

    private static async Task DeleteAsync(IDatabase cache, long userId)
    {
        try
        {
            await cache.KeyDeleteAsync(Key(userId));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The TTL still ends the stale timeline's life.
        }
    }

    /// <summary>The TTL ±10%, so that keys filled together do not expire together.</summary>
    private static TimeSpan Jittered(TimeSpan timeToLive) => timeToLive * (0.9 + (Random.Shared.NextDouble() * 0.2));
}
