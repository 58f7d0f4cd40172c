using Lab.Checker.CSharp;
using Lab.Checker.Infrastructure;
using Lab.Checker.Sql;
using Lab.Checker.Verification;
using Npgsql;

namespace Lab.Checker.Checks.CacheStampede;

/// <summary>
/// 08: the learner's read path of a timeline service, cache-aside in Redis. The checker runs it in four processes (the
/// service's instances) and drives them: 200 concurrent reads of a cold timeline while the database is slow (how many
/// queries?), hot timelines read again and again (hit ratio), a hundred timelines cached at once (are their expiries
/// spread?), posts followed by reads (stale after the acknowledgement?), an instance killed while it loads a timeline
/// (do the others still answer?), and Redis cut off (do reads still succeed?).
/// </summary>
public sealed class CacheStampedeCheck : IExerciseCheck
{
    public const string Schema = "lab08";
    public const string ApplicationName = "lab08-app";
    public const int Instances = 3;
    public const int MaxColdQueries = 2;
    public const double MinHitRatio = 0.8;
    public const double MinSpread = 0.02;
    private const string LearnerFile = "TimelineCache.cs";

    public string Id => "cache-stampede";

    public async Task<CheckResult> VerifyAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var (learner, failure) = LearnerAssembly.Load(context);
        if (failure is not null)
        {
            return failure;
        }

        byte[] image;
        using (learner)
        {
            if (TimelineAppHost.FindMethods(learner!.Assembly) is null)
            {
                return CheckResult.Fail(new Report()
                    .Failure($"{context.DisplayPath(LearnerFile)} must keep the two methods the checker calls, in public static class {TimelineAppHost.TypeName}:")
                    .Evidence([
                        "public static async Task<string> ReadAsync(long userId, IDatabase cache, TimelineStore store, CancellationToken cancellationToken)",
                        "public static async Task PostAsync(long userId, string text, IDatabase cache, TimelineStore store, CancellationToken cancellationToken)",
                    ], 4)
                    .Line("  Change what they do, not their shape."));
            }

            image = learner.Image;
        }

        var infrastructure = context.Infrastructure;
        var redis = await infrastructure.RedisAsync();
        await ResetStateAsync(context, cancellationToken);
        using var assemblyFile = await LearnerAssemblyFile.WriteAsync(context, image, cancellationToken);
        var server = redis.GetEndPoints()[0];
        var (host, port) = server switch
        {
            System.Net.IPEndPoint ip => (ip.Address.ToString(), ip.Port),
            System.Net.DnsEndPoint dns => (dns.Host, dns.Port),
            _ => throw new InvalidOperationException($"Unexpected Redis endpoint {server}."),
        };
        await using var proxy = FaultProxy.Start(host, port);
        await using var timelines = NpgsqlDataSource.Create(infrastructure.LabDbConnectionString("lab-checker", Schema));

        context.Status($"Starting {Instances} instances of the timeline service with your {LearnerFile}...");
        var (apps, problem) = await TimelineApps.StartAsync(
            Instances, assemblyFile.AssemblyPath, proxy.Port, infrastructure.LabDbConnectionString(ApplicationName), infrastructure.RedisConnectionString, cancellationToken);
        using (apps)
        {
            if (problem is not null)
            {
                return CheckResult.Fail(new Report().Failure("The timeline service did not start with your code:").Evidence(problem.Split('\n').Take(6), 4));
            }

            var run = new TimelineRun(apps, proxy, redis, timelines, seed: Math.Abs(context.RunId.GetHashCode(StringComparison.Ordinal)) % 100_000);
            var outcome = await RunAsync(context, run);
            return outcome;
        }
    }

    public async Task<string> ResetAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var deleted = await ResetStateAsync(context, cancellationToken, rebuild: false);
        return $"Schema lab08 is gone (verify recreates it), and {deleted} Redis key{(deleted == 1 ? string.Empty : "s")} lab:08:* deleted.";
    }

    private static async Task<int> ResetStateAsync(CheckContext context, CancellationToken cancellationToken, bool rebuild = true)
    {
        await using (var connection = await context.Infrastructure.LabDb.OpenConnectionAsync(cancellationToken))
        {
            var sql = rebuild ? SqlResources.Read("Checks/CacheStampede/schema.sql") : $"DROP SCHEMA IF EXISTS {Schema} CASCADE";
            foreach (var statement in SqlScript.Split(sql))
            {
                await using var command = new NpgsqlCommand(statement.Text, connection) { CommandTimeout = 0 };
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        return await CacheKeys.DeleteAsync(await context.Infrastructure.RedisAsync());
    }

    private static async Task<CheckResult> RunAsync(CheckContext context, TimelineRun run)
    {
        await run.WarmUpAsync();
        context.Status("A cold timeline: 200 reads at once, the database slowed to 200 ms a query...");
        var cold = await run.ColdKeyAsync();
        if (Environment.GetEnvironmentVariable("LAB_DEBUG") == "1") context.Status($"DEBUG cold: queries {cold.Queries.Count} at {string.Join(",", cold.Queries.Take(5).Select(q => q.At.TotalMilliseconds.ToString("0")))} ... {string.Join(",", cold.Queries.TakeLast(3).Select(q => q.At.TotalMilliseconds.ToString("0")))}; ms {string.Join(",", cold.Reads.Select(r => r.Milliseconds).Order().Where((_, i) => i % 20 == 0).Select(m => m.ToString("0")))}; errors {string.Join("|", cold.Reads.Where(r => !r.Ok).Select(r => r.Error).Distinct())}");
        if (cold.Queries.Count > MaxColdQueries * Instances * 2)
        {
            // Far too many queries, whatever else went wrong: the story's outage, with or without a cache for hot keys.
            return CheckResult.Fail(StampedeFailure(cold, await run.HotKeysAsync([.. Enumerable.Range(0, 20).Select(_ => run.NextUser())], rounds: 2))!);
        }

        if (CallFailure(cold.Reads, $"concurrent reads of user {cold.User}'s timeline") is { } coldFailure)
        {
            return CheckResult.Fail(coldFailure);
        }

        if (cold.Reads.FirstOrDefault(read => read.Value != cold.Expected) is { } wrong)
        {
            return CheckResult.Fail(WrongValue(wrong, cold.Expected));
        }

        context.Status("Hot timelines, read again and again...");
        var hotUsers = Enumerable.Range(0, 20).Select(_ => run.NextUser()).ToList();
        var hot = await run.HotKeysAsync(hotUsers, rounds: 5);
        if (CallFailure(hot.Reads, "reads of 20 hot timelines") is { } hotFailure)
        {
            return CheckResult.Fail(hotFailure);
        }

        if (hot.WrongUser is not null)
        {
            return CheckResult.Fail(new Report().Failure($"ReadAsync returned a value that is not {hot.WrongUser}'s timeline.")
                .Line("  Return the timeline exactly as store.LoadAsync gave it to you (from the cache or from the database)."));
        }

        if (StampedeFailure(cold, hot) is { } stampede)
        {
            return CheckResult.Fail(stampede);
        }

        var hitRatio = 1 - ((double)hot.Queries / hot.Reads.Count);
        if (hitRatio < MinHitRatio)
        {
            return CheckResult.Fail(new Report()
                .Failure($"{hot.Reads.Count} reads of {hot.Users} timelines caused {hot.Queries} database queries: a hit ratio of {hitRatio:P0}.")
                .Line("  After the first read of a timeline, the next ones should come from Redis until it expires. Does ReadAsync")
                .Line("  store what it loaded, with a TTL of a minute or so (not a few milliseconds)?"));
        }

        context.Status("A hundred timelines cached at the same moment...");
        var spread = await run.FillAtOnceAsync(100);
        if (spread.WithoutExpiry.Count > 0)
        {
            return CheckResult.Fail(NoExpiry(spread.WithoutExpiry, killed: false));
        }

        if (SpreadFailure(spread) is { } spreadFailure)
        {
            return CheckResult.Fail(spreadFailure);
        }

        context.Status("Posts, and the reads after them...");
        var quiet = await run.PostAsync(hotUsers[0], writer: 1, readDuringWrite: false);
        var raced = await run.PostAsync(hotUsers[1], writer: 2, readDuringWrite: true);
        if (WriteFailure(quiet, raced) is { } writeFailure)
        {
            return CheckResult.Fail(writeFailure);
        }

        context.Status("An instance killed while it loads a timeline...");
        var killed = await run.KillLoadingInstanceAsync(victim: 1);
        if (KilledHolderFailure(killed) is { } killedFailure)
        {
            return CheckResult.Fail(killedFailure);
        }

        context.Status("Redis cut off...");
        var outage = await run.RedisDownAsync(hotUsers.Skip(2).Take(5).ToList(), cold: 5);
        if (OutageFailure(outage) is { } outageFailure)
        {
            return CheckResult.Fail(outageFailure);
        }

        return CheckResult.Pass(Passed(cold, hot, spread, quiet, raced, killed, outage));
    }

    private static Report? CallFailure(IReadOnlyList<CallResult> reads, string what)
    {
        var failed = reads.Where(read => !read.Ok).ToList();
        if (failed.Count == 0)
        {
            return null;
        }

        var errors = failed.GroupBy(read => read.Error, StringComparer.Ordinal).OrderByDescending(group => group.Count())
            .Select(group => $"{group.Count()} × {group.Key}").Take(3);
        return new Report()
            .Failure($"{failed.Count} of {reads.Count} {what} failed:")
            .Evidence(errors, 4)
            .Line("  A read must answer: from the cache, or else from the database.");
    }

    private static Report WrongValue(CallResult wrong, string expected) =>
        new Report().Failure($"ReadAsync returned something other than user {wrong.User}'s timeline (on instance {wrong.Instance}):")
            .Evidence([$"got:      {Shorten(wrong.Value)}", $"expected: {Shorten(expected)}"], 4)
            .Line("  Return the timeline exactly as store.LoadAsync gave it to you (from the cache or from the database).");

    private static Report? StampedeFailure(StampedeResult cold, HotResult hot)
    {
        var queries = cold.Queries.Count;
        if (queries <= MaxColdQueries)
        {
            return null;
        }

        var perInstance = cold.Queries.GroupBy(query => query.Instance).OrderBy(group => group.Key)
            .Select(group => $"instance {group.Key}: {group.Count()}").ToList();
        var report = new Report()
            .Failure($"{cold.Reads.Count} concurrent reads of user {cold.User}'s cold timeline caused {queries} database queries (at most {MaxColdQueries} expected).")
            .Evidence([$"queries per instance: {string.Join(", ", perInstance)}", $"without a cache: {cold.Reads.Count}, one per read"], 4);
        if (hot.Queries >= hot.Reads.Count * 0.9)
        {
            return report
                .Line($"  Every read goes to the database: the hot timelines too ({hot.Queries} queries for {hot.Reads.Count} reads).")
                .Line("  This is the outage in the story: the most-read timeline's key expires at peak and every request hits")
                .Line("  PostgreSQL at once. Cache-aside: look in Redis first; on a miss, load from the store and put the result in")
                .Line("  Redis with a TTL. Then make sure one cold key causes one query (single-flight).");
        }

        var instances = cold.Queries.Select(query => query.Instance).Distinct().Count();
        if (cold.Queries.GroupBy(query => query.Instance).All(group => group.Count() <= MaxColdQueries) && instances > 1)
        {
            return report
                .Line($"  Each instance loaded the timeline once: your single-flight works within a process, but the service runs")
                .Line($"  {Instances} instances (at peak, dozens). The lock must be shared by all of them: take it in Redis")
                .Line("  (SET key token NX PX <ms>, or LockTakeAsync), and let the others wait for the cached value.");
        }

        return report
            .Line("  On a miss, every request loads the timeline itself. Let one of them do it (single-flight): it takes a lock in")
            .Line("  Redis (SET key token NX PX <ms>, or LockTakeAsync) and loads; the others wait a little and read the value it")
            .Line("  cached.");
    }

    private static Report? SpreadFailure(SpreadResult spread)
    {
        if (spread.TimesToLive.Count < spread.Users / 2)
        {
            return new Report()
                .Failure($"The checker read {spread.Users} timelines and found only {spread.TimesToLive.Count} of them cached in Redis.")
                .Line("  Store each timeline under a key of its own that starts with lab:08:, as a string that holds what")
                .Line("  store.LoadAsync returned (wrapped in something of yours if you like).");
        }

        var sorted = spread.TimesToLive.Order().ToList();
        var p10 = sorted[sorted.Count / 10];
        var p90 = sorted[sorted.Count * 9 / 10];
        var median = sorted[sorted.Count / 2];
        var width = p90 - p10;
        if (width > spread.Uncertainty * 2 && width >= median * MinSpread)
        {
            return null;
        }

        return new Report()
            .Failure($"{spread.TimesToLive.Count} timelines cached at the same moment were given TTLs within {PlanText.Milliseconds(width.TotalMilliseconds)} of each other:")
            .Evidence([$"TTLs: 10th percentile {Seconds(p10)}, median {Seconds(median)}, 90th percentile {Seconds(p90)} (measured to within {PlanText.Milliseconds(spread.Uncertainty.TotalMilliseconds)})"], 4)
            .Line($"  They will all expire together, {Seconds(median)} from now: their TTLs have no jitter (or too little).")
            .Line("  Keys filled together at peak (after a deploy, a Redis restart) expire together, and the database gets all of")
            .Line($"  their reads at once again. Add a random part to each TTL (say ±10%), so that their expiries spread out.");
    }

    private static Report? WriteFailure(WriteResult quiet, WriteResult raced)
    {
        foreach (var write in new[] { quiet, raced })
        {
            if (!write.Post.Ok)
            {
                return new Report().Failure($"PostAsync failed for user {write.User} (on instance {write.Writer}):").Evidence([write.Post.Error ?? "?"], 4)
                    .Line("  A post must succeed: store.PostAsync saves it; then make sure no cached timeline hides it.");
            }

            if (CallFailure(write.ReadsAfter, $"reads of user {write.User}'s timeline after a post") is { } failure)
            {
                return failure;
            }
        }

        if (quiet.Stale.Count > 0)
        {
            var staleInstances = quiet.Stale.Select(read => read.Instance).Distinct().Order().ToList();
            var report = new Report()
                .Failure($"After a post to user {quiet.User} was acknowledged, {quiet.Stale.Count} of {quiet.ReadsAfter.Count} reads still served the old timeline, without it.")
                .Evidence([$"stale on instance {string.Join(", ", staleInstances)}; the post was made on instance {quiet.Writer}"], 4);
            return staleInstances.Contains(quiet.Writer)
                ? report.Line("  PostAsync leaves the cached timeline in Redis, so reads keep serving it until it expires. Once store.PostAsync")
                    .Line("  has returned (the chirp is committed), delete the user's cached timeline; the next read loads the new one.")
                : report.Line("  The instance that made the post reads the new timeline, the others do not: each instance keeps a copy of its")
                    .Line("  own (in memory?) that nothing clears. Cache in Redis only, where one delete reaches every instance.");
        }

        if (raced.Stale.Count > 0)
        {
            return new Report()
                .Failure($"After a post to user {raced.User} was acknowledged, {raced.Stale.Count} of {raced.ReadsAfter.Count} reads still served the old timeline, without it.")
                .Evidence([
                    $"a post with nobody reading: fresh afterwards; a post while the checker read the timeline ({raced.ReadsDuring.Count} reads",
                    $"while its transaction was open, {TimelineRun.CommitDelayMs} ms): stale afterwards",
                ], 4)
                .Line("  Your code removes the cached timeline before the chirp is committed. A read in between finds no key, loads")
                .Line("  the timeline from the database (where the chirp is not visible yet) and caches it again: the old timeline,")
                .Line("  for a whole TTL. Delete the key after store.PostAsync has returned, when the chirp is committed.");
        }

        return null;
    }

    private static Report? KilledHolderFailure(KilledHolderResult killed)
    {
        if (killed.WithoutExpiry.Count > 0)
        {
            return NoExpiry(killed.WithoutExpiry, killed: true, killed.User);
        }

        var failed = killed.Reads.Where(read => !read.Ok).ToList();
        if (failed.Count > 0)
        {
            var hung = failed.Count(read => read.Error?.StartsWith("no answer", StringComparison.Ordinal) == true);
            return new Report()
                .Failure($"The checker killed instance 1 while it loaded user {killed.User}'s timeline; afterwards {failed.Count} of {killed.Reads.Count} reads of it")
                .Line($"  on the other instances failed{(hung > 0 ? $" ({hung} of them did not answer within {TimelineAppHost.CallTimeout.TotalSeconds:0} s)" : string.Empty)}:")
                .Evidence(failed.Select(read => read.Error ?? "?").Distinct(StringComparer.Ordinal).Take(3), 4)
                .Line("  A process dies holding whatever it holds. If the others wait for its lock, the lock must expire (a few seconds,")
                .Line("  about as long as a load may take), and a reader that waited that long should read the database itself.");
        }

        return killed.Reads.FirstOrDefault(read => read.Value != killed.Expected) is { } wrong ? WrongValue(wrong, killed.Expected) : null;
    }

    private static Report NoExpiry(IReadOnlyList<CacheKey> keys, bool killed, long user = 0)
    {
        var report = new Report()
            .Failure($"{keys.Count} key{(keys.Count == 1 ? " has" : "s have")} no expiry in Redis:")
            .Evidence(keys.Take(4).Select(key => $"{key.Name} ({key.Type}{(key.Value is null ? string.Empty : $": {Shorten(key.Value, 40)}")}) TTL: none"), 4);
        var timelines = keys.Any(key => key.Value?.Contains("\"timeline\"", StringComparison.Ordinal) == true || key.Value?.Contains("user-", StringComparison.Ordinal) == true);
        if (timelines)
        {
            return report.Line("  A cached timeline without a TTL is never refreshed if an invalidation is lost, and the cache only grows.")
                .Line("  Give every cached value a TTL (with jitter).");
        }

        return killed
            ? report.Line($"  The checker killed instance 1 while it loaded user {user}'s timeline. Your lock for it stays forever: no")
                .Line("  instance will ever load that timeline again (or they all read the database, every time). A lock must expire")
                .Line("  by itself: SET key token NX PX <ms> (or LockTakeAsync with an expiry), a few seconds at most.")
            : report.Line("  A key without an expiry outlives the process that wrote it. Give each key a TTL, locks especially.");
    }

    private static Report? OutageFailure(OutageResult outage)
    {
        var failed = outage.Reads.Where(read => !read.Ok).ToList();
        if (failed.Count > 0)
        {
            return new Report()
                .Failure($"While Redis was down, {failed.Count} of {outage.Reads.Count} reads failed:")
                .Evidence(failed.Select(read => read.Error ?? "?").GroupBy(error => error, StringComparer.Ordinal)
                    .OrderByDescending(group => group.Count()).Select(group => $"{group.Count()} × {group.Key}").Take(3), 4)
                .Line("  The cache only makes reads faster; the database has every timeline. When a Redis call fails (RedisException,")
                .Line("  or a RedisTimeoutException, which is a TimeoutException), read the database and answer.");
        }

        return outage.WrongValues > 0
            ? new Report().Failure($"While Redis was down, {outage.WrongValues} reads returned something other than the timeline.")
                .Line("  When Redis fails, return what store.LoadAsync gives you.")
            : null;
    }

    private static Report Passed(StampedeResult cold, HotResult hot, SpreadResult spread, WriteResult quiet, WriteResult raced, KilledHolderResult killed, OutageResult outage)
    {
        var sorted = spread.TimesToLive.Order().ToList();
        var hitRatio = 1 - ((double)hot.Queries / hot.Reads.Count);
        var killedSlowest = killed.Reads.Max(read => read.Milliseconds);
        var outageSlowest = outage.Reads.Max(read => read.Milliseconds);
        return new Report()
            .Success($"A cold timeline (user {cold.User}), {cold.Reads.Count} reads at once over {Instances} instances, the database slowed to {TimelineRun.SlowQueryMs} ms a query:")
            .Line($"    {cold.Queries.Count} database {(cold.Queries.Count == 1 ? "query" : "queries")} (without the cache: {cold.Reads.Count}); slowest read {PlanText.Milliseconds(cold.Reads.Max(read => read.Milliseconds))}.")
            .Success($"{hot.Users} hot timelines, {hot.Reads.Count} reads: {hot.Queries} queries, a hit ratio of {hitRatio:P0}.")
            .Success($"{sorted.Count} timelines cached at the same moment were given TTLs from {Seconds(sorted[0])} to {Seconds(sorted[^1])}: their expiries spread")
            .Line($"    over {Seconds(sorted[^1] - sorted[0])}.")
            .Success($"After a post is acknowledged, every instance reads the new chirp ({quiet.ReadsAfter.Count + raced.ReadsAfter.Count} reads),")
            .Line($"    also when the checker read the timeline {raced.ReadsDuring.Count} times while the post's transaction was open.")
            .Success($"The checker killed instance 1 while it loaded user {killed.User}'s timeline: the other instances answered all")
            .Line($"    {killed.Reads.Count} reads of it (the slowest in {PlanText.Milliseconds(killedSlowest)}), and no key is left without an expiry.")
            .Success($"Redis cut off: {outage.Reads.Count} reads all answered from the database (the slowest in {PlanText.Milliseconds(outageSlowest)}).")
            .Blank()
            .Line("What you learned: a cache turns most reads into Redis hits, and turns its misses into the dangerous moment.")
            .Line("One cold key at peak is a stampede unless one request loads it while the others wait (a lock in Redis, shared")
            .Line("by every instance, that expires by itself); keys filled together expire together unless their TTLs are")
            .Line("jittered; a write deletes the key after its commit, never before; and Redis going away makes reads slower,")
            .Line("never failed. The full-size version: services/Chirp.Api/Timelines/TimelineCache.cs.")
            .Line("Read more: https://redis.io/docs/latest/develop/use/patterns/distributed-locks/,")
            .Line("  https://en.wikipedia.org/wiki/Cache_stampede");
    }

    private static string Seconds(TimeSpan value) => $"{value.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} s";

    private static string Shorten(string? value, int length = 70) =>
        value is null ? "(null)" : value.Length <= length ? value : value[..length] + "...";
}
