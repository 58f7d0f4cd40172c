using System.Collections.Concurrent;
using StackExchange.Redis;

namespace Lab;

// Wrong: single-flight with a lock per key in memory: it holds back the requests of one process, not of the others.
public static class TimelineCache
{
    private static readonly TimeSpan s_timeToLive = TimeSpan.FromSeconds(60);
    private static readonly ConcurrentDictionary<long, SemaphoreSlim> s_loading = new();

    private static RedisKey Key(long userId) => $"lab:08:timeline:{userId}";

    public static async Task<string> ReadAsync(long userId, IDatabase cache, TimelineStore store, CancellationToken cancellationToken)
    {
        try
        {
            var cached = await cache.StringGetAsync(Key(userId));
            if (cached.HasValue)
            {
                return cached.ToString();
            }

            var gate = s_loading.GetOrAdd(userId, _ => new SemaphoreSlim(1, 1));
            await gate.WaitAsync(cancellationToken);
            try
            {
                cached = await cache.StringGetAsync(Key(userId));
                if (cached.HasValue)
                {
                    return cached.ToString();
                }

                var timeline = await store.LoadAsync(userId, cancellationToken);
                await cache.StringSetAsync(Key(userId), timeline, s_timeToLive * (0.9 + (Random.Shared.NextDouble() * 0.2)));
                return timeline;
            }
            finally
            {
                gate.Release();
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return await store.LoadAsync(userId, cancellationToken);
        }
    }

    public static async Task PostAsync(long userId, string text, IDatabase cache, TimelineStore store, CancellationToken cancellationToken)
    {
        await store.PostAsync(userId, text, cancellationToken);
        try
        {
            await cache.KeyDeleteAsync(Key(userId));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The TTL still ends the stale timeline's life.
        }
    }
}
