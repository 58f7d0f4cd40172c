using StackExchange.Redis;

namespace Lab.Checker.Checks.CacheStampede;

/// <summary>One key of the exercise in Redis: its name, type, time to live (null: never expires) and, for a string, its value.</summary>
public sealed record CacheKey(string Name, string Type, TimeSpan? TimeToLive, string? Value);

/// <summary>The exercise's keys in Redis (lab:08:*), read by the checker on its own connection, never through the proxy.</summary>
public static class CacheKeys
{
    public const string Pattern = "lab:08:*";

    public static async Task<IReadOnlyList<CacheKey>> ReadAsync(IConnectionMultiplexer redis)
    {
        var database = redis.GetDatabase();
        var names = new List<RedisKey>();
        foreach (var server in redis.GetServers().Where(server => server.IsConnected && !server.IsReplica))
        {
            await foreach (var name in server.KeysAsync(database.Database, Pattern, pageSize: 500))
            {
                names.Add(name);
            }
        }

        // All at once: the client pipelines them, so the times to live are read within a few milliseconds of each other.
        var keys = await Task.WhenAll(names.Select(async name =>
        {
            var type = database.KeyTypeAsync(name);
            var ttl = database.KeyTimeToLiveAsync(name);
            var value = database.StringGetAsync(name);
            var kind = await type;
            var timeToLive = await ttl;
            string? text;
            try
            {
                text = kind == RedisType.String ? (string?)await value : null;
            }
            catch (RedisServerException)
            {
                text = null; // not a string (WRONGTYPE)
            }

            return kind == RedisType.None ? null : new CacheKey(name.ToString(), kind.ToString().ToLowerInvariant(), timeToLive, text);
        }));
        return [.. keys.OfType<CacheKey>()];
    }

    public static async Task<int> DeleteAsync(IConnectionMultiplexer redis)
    {
        var database = redis.GetDatabase();
        var deleted = 0;
        foreach (var server in redis.GetServers().Where(server => server.IsConnected && !server.IsReplica))
        {
            var names = new List<RedisKey>();
            await foreach (var name in server.KeysAsync(database.Database, Pattern, pageSize: 500))
            {
                names.Add(name);
            }

            if (names.Count > 0)
            {
                deleted += (int)await database.KeyDeleteAsync([.. names]);
            }
        }

        return deleted;
    }

    /// <summary>Whether a cached value holds user <paramref name="user"/>'s timeline (whatever the learner wrapped it in).</summary>
    public static bool HoldsTimelineOf(string? value, long user)
    {
        if (value is null)
        {
            return false;
        }

        var marker = $"user-{user}";
        for (var at = value.IndexOf(marker, StringComparison.Ordinal); at >= 0; at = value.IndexOf(marker, at + 1, StringComparison.Ordinal))
        {
            var after = at + marker.Length;
            if (after >= value.Length || !char.IsAsciiDigit(value[after]))
            {
                return true;
            }
        }

        return false;
    }
}
