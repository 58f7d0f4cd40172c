using System.Text.Json;
using Chirp.Api.Telemetry;
using StackExchange.Redis;

namespace Chirp.Api.Timelines;

/// <summary>
/// Cache-aside for the first page of an author's timeline, at chirp:timeline:{userId} with a TTL. A write invalidates
/// the key after its commit. Redis is optional: every error or timeout is logged and counted, and the caller reads the
/// database instead. A read that races a write may put a stale page back; the TTL bounds how long it can live.
/// Without ConnectionStrings:redis there is no multiplexer and every call is a no-op.
/// </summary>
public sealed partial class TimelineCache(ChirpMetrics metrics, ILogger<TimelineCache> logger, IConnectionMultiplexer? redis = null)
{
    public static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(60);
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    // A slow Redis must cost a request little: past this, the caller falls through to the database.
    private static readonly TimeSpan s_timeout = TimeSpan.FromMilliseconds(250);

    public static string Key(Guid userId) => $"chirp:timeline:{userId:D}";

    public async Task<CachedTimeline?> GetAsync(Guid userId, CancellationToken cancellationToken)
    {
        if (redis is null)
        {
            return null;
        }

        try
        {
            var value = await redis.GetDatabase().StringGetAsync(Key(userId)).WaitAsync(s_timeout, cancellationToken);
            if (value.IsNull)
            {
                metrics.CacheMisses.Add(1);
                return null;
            }

            metrics.CacheHits.Add(1);
            return JsonSerializer.Deserialize<CachedTimeline>((string)value!, s_json);
        }
        catch (Exception ex) when (IsCacheFailure(ex))
        {
            Failed(ex, "GET", userId);
            return null;
        }
    }

    public async Task SetAsync(Guid userId, CachedTimeline timeline, CancellationToken cancellationToken)
    {
        if (redis is null)
        {
            return;
        }

        try
        {
            var json = JsonSerializer.Serialize(timeline, s_json);
            await redis.GetDatabase().StringSetAsync(Key(userId), json, TimeToLive).WaitAsync(s_timeout, cancellationToken);
        }
        catch (Exception ex) when (IsCacheFailure(ex))
        {
            Failed(ex, "SET", userId);
        }
    }

    public async Task InvalidateAsync(Guid userId, CancellationToken cancellationToken)
    {
        if (redis is null)
        {
            return;
        }

        try
        {
            await redis.GetDatabase().KeyDeleteAsync(Key(userId)).WaitAsync(s_timeout, cancellationToken);
        }
        catch (Exception ex) when (IsCacheFailure(ex))
        {
            // The TTL still expires the stale page.
            Failed(ex, "DEL", userId);
        }
    }

    private static bool IsCacheFailure(Exception exception) =>
        exception is RedisException or TimeoutException or JsonException;

    private void Failed(Exception exception, string operation, Guid userId)
    {
        metrics.CacheErrors.Add(1, new KeyValuePair<string, object?>("db.operation.name", operation));
        LogCacheFailed(exception, operation, userId);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis {Operation} for the timeline of {UserId} failed; using the database")]
    private partial void LogCacheFailed(Exception exception, string operation, Guid userId);
}
