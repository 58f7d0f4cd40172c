using StackExchange.Redis;

namespace Lab;

// Also right: the cached value carries its own soft expiry. Past it, one request (holding a lock with an expiry)
// refreshes the timeline while the others keep serving the old one; the hard TTL, longer and jittered, ends it for good.
public static class TimelineCache
{
    private static readonly TimeSpan s_fresh = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_hardTimeToLive = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan s_lock = TimeSpan.FromSeconds(4);
    private const string ReleaseScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

    private static string Key(long userId) => $"lab:08:tl:{userId}";

    public static async Task<string> ReadAsync(long userId, IDatabase cache, TimelineStore store, CancellationToken cancellationToken)
    {
        try
        {
            for (var attempt = 0; attempt < 150; attempt++)
            {
                var cached = await cache.StringGetAsync(Key(userId));
                if (cached.HasValue && Unpack(cached.ToString()) is { } entry)
                {
                    if (entry.FreshUntil > DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() || !await TryLockAsync(cache, userId, out var refresh))
                    {
                        return entry.Timeline;
                    }

                    return await LoadAndCacheAsync(userId, cache, store, refresh, cancellationToken);
                }

                if (await TryLockAsync(cache, userId, out var token))
                {
                    return await LoadAndCacheAsync(userId, cache, store, token, cancellationToken);
                }

                await Task.Delay(20, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Without Redis, the database.
        }

        return await store.LoadAsync(userId, cancellationToken);
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
            // The hard TTL still ends it.
        }
    }

    private static Task<bool> TryLockAsync(IDatabase cache, long userId, out string token)
    {
        token = Guid.NewGuid().ToString("N");
        return cache.StringSetAsync($"lab:08:tl:{userId}:refresh", token, s_lock, When.NotExists);
    }

    private static async Task<string> LoadAndCacheAsync(long userId, IDatabase cache, TimelineStore store, string token, CancellationToken cancellationToken)
    {
        try
        {
            var timeline = await store.LoadAsync(userId, cancellationToken);
            var freshUntil = DateTimeOffset.UtcNow.Add(s_fresh).ToUnixTimeMilliseconds();
            var hard = s_hardTimeToLive * (0.85 + (Random.Shared.NextDouble() * 0.3));
            await cache.StringSetAsync(Key(userId), $"{freshUntil}|{timeline}", hard);
            return timeline;
        }
        finally
        {
            await cache.ScriptEvaluateAsync(ReleaseScript, [(RedisKey)$"lab:08:tl:{userId}:refresh"], [token]);
        }
    }

    private static (long FreshUntil, string Timeline)? Unpack(string value)
    {
        var bar = value.IndexOf('|', StringComparison.Ordinal);
        return bar > 0 && long.TryParse(value[..bar], out var freshUntil) ? (freshUntil, value[(bar + 1)..]) : null;
    }
}
