using Lab.Checker.Infrastructure;
using Npgsql;
using StackExchange.Redis;

namespace Lab.Checker.Checks.CacheStampede;

/// <summary>The concurrent cold reads of one timeline: how many reached the database, per instance.</summary>
public sealed record StampedeResult(long User, IReadOnlyList<CallResult> Reads, IReadOnlyList<StoreEvent> Queries, string Expected);

/// <summary>Reads of a few hot timelines, over and over: how many reached the database.</summary>
public sealed record HotResult(int Users, IReadOnlyList<CallResult> Reads, int Queries, string? WrongUser);

/// <summary>
/// Many timelines cached at the same moment, and the times to live they were given: what Redis has left of each, plus
/// the time since its read answered. <see cref="Uncertainty"/> bounds the error of that estimate (the slowest read):
/// a fixed TTL gives times to live no further apart than that.
/// </summary>
public sealed record SpreadResult(int Users, TimeSpan FillWindow, TimeSpan Uncertainty, IReadOnlyList<TimeSpan> TimesToLive, IReadOnlyList<CacheKey> WithoutExpiry);

/// <summary>A post, and the reads after it was acknowledged; <see cref="ReadDuringWrite"/>: the checker read while its transaction was open.</summary>
public sealed record WriteResult(long User, int Writer, bool ReadDuringWrite, CallResult Post, IReadOnlyList<CallResult> ReadsDuring, IReadOnlyList<CallResult> ReadsAfter, string Text)
{
    public IReadOnlyList<CallResult> Stale => [.. ReadsAfter.Where(read => read.Ok && read.Value?.Contains(Text, StringComparison.Ordinal) != true)];
}

/// <summary>An instance killed while its read of a timeline hung in the database, and what the other instances got for it.</summary>
public sealed record KilledHolderResult(long User, bool HangReached, IReadOnlyList<CallResult> Reads, IReadOnlyList<CacheKey> WithoutExpiry, string Expected);

/// <summary>Reads while Redis refused every connection.</summary>
public sealed record OutageResult(IReadOnlyList<CallResult> Reads, int WrongValues);

/// <summary>
/// The phases of exercise 08's check, in order, each measured: a cold key read by 200 requests at once, hot keys read
/// again and again, a hundred keys filled at once (their expiries), two posts and the reads after them, an instance
/// killed while it loads a timeline, and Redis cut off. Users are picked at random (seeded by the run), so no answer
/// can be fitted to fixed ids.
/// </summary>
public sealed class TimelineRun(TimelineApps apps, FaultProxy redisProxy, IConnectionMultiplexer redis, NpgsqlDataSource timelines, int seed)
{
    public const int ColdReads = 200;
    public const int SlowQueryMs = 200;
    public const int CommitDelayMs = 300;
    private readonly Random _random = new(seed);
    private readonly HashSet<long> _used = [];

    public long NextUser()
    {
        while (true)
        {
            var user = _random.NextInt64(1, 2001);
            if (_used.Add(user))
            {
                return user;
            }
        }
    }

    /// <summary>A few reads and a post on every instance first, as a running service has made: code compiled, connections open.</summary>
    public async Task WarmUpAsync()
    {
        var user = NextUser();
        await apps.ReadEverywhereAsync(user, 6 * apps.Count);
        await apps.WaitAllAsync([.. Enumerable.Range(1, apps.Count).Select(instance => apps.StartPost(instance, user, "warming up"))], 1);

        await apps.ReadEverywhereAsync(user, 6 * apps.Count);
    }

    public async Task<StampedeResult> ColdKeyAsync()
    {
        var user = NextUser();
        var expected = await TimelineAsync(user);
        await apps.SetAsync(SlowQueryMs, 0, 0);
        var since = apps.Now;
        var reads = await apps.ReadEverywhereAsync(user, ColdReads);
        await apps.SetAsync(0, 0, 0);
        return new StampedeResult(user, reads, apps.DatabaseReads(user, since), expected);
    }

    public async Task<HotResult> HotKeysAsync(IReadOnlyList<long> users, int rounds)
    {
        var since = apps.Now;
        var reads = new List<CallResult>();
        for (var round = 0; round < rounds; round++)
        {
            var batches = Enumerable.Range(1, apps.Count).Where(apps.IsRunning)
                .SelectMany(instance => users.Select(user => apps.StartReads(instance, user, 1)))
                .ToList();
            reads.AddRange(await apps.WaitAllAsync(batches, 1));
        }

        string? wrong = null;
        foreach (var user in users)
        {
            var expected = await TimelineAsync(user);
            if (reads.Any(read => read.User == user && read.Ok && read.Value != expected))
            {
                wrong ??= $"user {user}";
            }
        }

        return new HotResult(users.Count, reads, users.Sum(user => apps.DatabaseReads(user, since).Count), wrong);
    }

    public async Task<SpreadResult> FillAtOnceAsync(int count)
    {
        var users = Enumerable.Range(0, count).Select(_ => NextUser()).ToList();
        var started = apps.Now;
        var batches = users.Select((user, index) => apps.StartReads(1 + (index % apps.Count), user, 1)).ToList();
        var answers = await apps.WaitAllAsync(batches, 1);

        var window = apps.Now - started;
        var scanned = apps.Now;
        var keys = await CacheKeys.ReadAsync(redis);
        var scan = apps.Now - scanned;
        var timesToLive = new List<TimeSpan>();
        foreach (var key in keys.Where(key => key.TimeToLive is not null))
        {
            var user = users.FirstOrDefault(candidate => CacheKeys.HoldsTimelineOf(key.Value, candidate));
            if (answers.FirstOrDefault(answer => answer.User == user && answer.Ok) is { } answer)
            {
                // The TTL it was given: what is left, plus the time since its read answered (it was set before that).
                timesToLive.Add(key.TimeToLive!.Value + (scanned - answer.At));
            }
        }

        var slowest = answers.Count > 0 ? TimeSpan.FromMilliseconds(answers.Max(answer => answer.Milliseconds)) : TimeSpan.Zero;
        return new SpreadResult(users.Count, window, slowest + scan, timesToLive, [.. keys.Where(key => key.TimeToLive is null)]);
    }

    public async Task<WriteResult> PostAsync(long user, int writer, bool readDuringWrite)
    {
        var text = $"posted by the checker, run {seed}, user {user}, {Guid.NewGuid():N}";
        await apps.SetAsync(0, 0, CommitDelayMs, writer);
        var since = apps.Now;
        var post = apps.StartPost(writer, user, text);
        var during = new List<int>();
        if (readDuringWrite && await apps.WaitForEventAsync("open", user, since, TimeSpan.FromSeconds(5)))
        {
            // Reads while the post's transaction is open: a cache emptied now is refilled with the old timeline.
            for (var round = 0; round < 3; round++)
            {
                during.AddRange(Enumerable.Range(1, apps.Count).Where(instance => instance != writer && apps.IsRunning(instance))
                    .Select(instance => apps.StartReads(instance, user, 2)));
                await Task.Delay(CommitDelayMs / 4);
            }
        }

        var posted = (await apps.WaitAsync(post, 1))[0];
        var readsDuring = await apps.WaitAllAsync(during, 2);

        await apps.SetAsync(0, 0, 0, writer);
        var after = await apps.ReadEverywhereAsync(user, 2 * apps.Count);
        return new WriteResult(user, writer, readDuringWrite, posted, readsDuring, after, text);
    }

    public async Task<KilledHolderResult> KillLoadingInstanceAsync(int victim)
    {
        var user = NextUser();
        var expected = await TimelineAsync(user);
        await apps.SetAsync(0, user, 0, victim);
        var since = apps.Now;
        apps.StartReads(victim, user, 1);
        var hung = await apps.WaitForEventAsync("hang", user, since, TimeSpan.FromSeconds(5));
        await apps.KillAsync(victim);
        var reads = await apps.ReadEverywhereAsync(user, 60);
        var keys = await CacheKeys.ReadAsync(redis);
        return new KilledHolderResult(user, hung, reads, [.. keys.Where(key => key.TimeToLive is null)], expected);
    }

    public async Task<OutageResult> RedisDownAsync(IReadOnlyList<long> warm, int cold)
    {
        var users = warm.Concat(Enumerable.Range(0, cold).Select(_ => NextUser())).ToList();
        redisProxy.Set(ProxyMode.Refuse);
        try
        {
            var reads = new List<CallResult>();
            var wrong = 0;
            foreach (var group in users.Chunk(5))
            {
                var batches = group.SelectMany(user => Enumerable.Range(1, apps.Count).Where(apps.IsRunning).Select(instance => (User: user, Batch: apps.StartReads(instance, user, 3)))).ToList();
                var answers = await apps.WaitAllAsync(batches.Select(batch => batch.Batch), 3);
                foreach (var user in group)
                {
                    var expected = await TimelineAsync(user);
                    wrong += answers.Count(answer => answer.User == user && answer.Ok && answer.Value != expected);
                }

                reads.AddRange(answers);
            }

            return new OutageResult(reads, wrong);
        }
        finally
        {
            redisProxy.Set(ProxyMode.Pass);
        }
    }

    /// <summary>The user's timeline as the database has it now, by the query the store runs.</summary>
    public async Task<string> TimelineAsync(long user)
    {
        await using var command = timelines.CreateCommand(Sql.SqlResources.Read("Checks/CacheStampede/timeline.sql"));
        command.Parameters.AddWithValue(user);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
