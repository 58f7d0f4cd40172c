using System.Diagnostics;
using Lab.Checker.Infrastructure;
using Npgsql;

namespace Lab.Checker.Checks.HealthProbes;

/// <summary>One answer of a probe: the HTTP status (0: none in time), the body (Healthy, Degraded, Unhealthy) and how long it took.</summary>
public sealed record ProbeAnswer(int Status, string Body, TimeSpan Took)
{
    public bool Answered => Status != 0;

    public string Text => Answered ? $"{Status} {Body}" : "no answer";
}

/// <summary>What the service's dependencies do in one state of the run, and what a correct service answers then.</summary>
/// <param name="Name">As the table shows it: "PostgreSQL hangs".</param>
/// <param name="Dependency">database, kafka, cache, schema or null (everything answers).</param>
/// <param name="Ready">Whether /health/ready must answer 200.</param>
/// <param name="Degraded">Whether readiness must say Degraded (a shared or optional dependency is down).</param>
public sealed record ProbeState(string Name, string? Dependency, bool Ready, bool Degraded, bool Hangs = false);

/// <summary>The probes' answers in one state: every sample taken until readiness settled (or the time ran out).</summary>
public sealed record StateResult(ProbeState State, IReadOnlyList<ProbeAnswer> Live, IReadOnlyList<ProbeAnswer> Ready, bool Settled)
{
    public ProbeAnswer LastReady => Ready[^1];

    public ProbeAnswer WorstLive => Live.OrderBy(answer => answer.Status == 200 ? 1 : 0).ThenByDescending(answer => answer.Took).First();

    public TimeSpan Slowest => Live.Concat(Ready).Max(answer => answer.Took);
}

/// <summary>
/// Exercise 10's run: the service starts with its schema one migration behind; the checker applies it; then it stops and
/// hangs each dependency in turn (in an order drawn for the run), bringing it back each time, and finally applies a
/// newer release's migration. In every state it reads both probes until readiness settles on what it should be, and
/// records every answer and how long it took.
/// </summary>
public sealed class ProbeRun(
    HttpClient http, FaultProxy database, FaultProxy cache, PrivateKafkaCluster kafka, NpgsqlDataSource schema, int requiredVersion, int seed)
{
    /// <summary>The checker's bound for one probe's answer (Kubernetes' default timeoutSeconds is 1; this allows a busy machine).</summary>
    public static readonly TimeSpan ProbeBound = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan HttpTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_settle = TimeSpan.FromSeconds(8);

    public async Task<IReadOnlyList<StateResult>> RunAsync(Action<string> status, CancellationToken cancellationToken)
    {
        // A first request compiles the endpoints: not the learner's time.
        await ProbeAsync("/health/live", cancellationToken);
        await ProbeAsync("/health/ready", cancellationToken);
        var results = new List<StateResult>
        {
            await ObserveAsync(new ProbeState($"schema behind (needs {requiredVersion}, has {requiredVersion - 1})", "schema", Ready: false, Degraded: false), cancellationToken),
        };
        await ApplyMigrationAsync(requiredVersion, cancellationToken);
        results.Add(await ObserveAsync(new ProbeState($"migration {requiredVersion} applied", null, Ready: true, Degraded: false), cancellationToken));
        if (LivenessFailed(results))
        {
            return results;
        }

        var outages = new (ProbeState State, Action Break, Action Repair)[]
        {
            (new ProbeState("PostgreSQL stopped", "database", Ready: false, Degraded: false), () => database.Set(ProxyMode.Refuse), () => database.Set(ProxyMode.Pass)),
            (new ProbeState("PostgreSQL hangs", "database", Ready: false, Degraded: false, Hangs: true), () => database.Set(ProxyMode.Hang), () => database.Set(ProxyMode.Pass)),
            (new ProbeState("Kafka down", "kafka", Ready: true, Degraded: true), kafka.TakeBrokersDown, kafka.BringBrokersUp),
            (new ProbeState("Redis stopped", "cache", Ready: true, Degraded: true), () => cache.Set(ProxyMode.Refuse), () => cache.Set(ProxyMode.Pass)),
            (new ProbeState("Redis hangs", "cache", Ready: true, Degraded: true, Hangs: true), () => cache.Set(ProxyMode.Hang), () => cache.Set(ProxyMode.Pass)),
        };
        foreach (var (state, breakIt, repair) in outages.ToList().Shuffle(seed))
        {
            status($"{state.Name}...");
            breakIt();
            results.Add(await ObserveAsync(state, cancellationToken));
            repair();
            results.Add(await ObserveAsync(new ProbeState($"{state.Name[..state.Name.IndexOf(' ', StringComparison.Ordinal)]} back", null, Ready: true, Degraded: false), cancellationToken));

            // A liveness probe that fails is the verdict already: no need to wait through every other state.
            if (LivenessFailed(results))
            {
                return results;
            }
        }

        await ApplyMigrationAsync(requiredVersion + 1, cancellationToken);
        results.Add(await ObserveAsync(new ProbeState($"schema ahead (migration {requiredVersion + 1}, a newer release's)", null, Ready: true, Degraded: false), cancellationToken));
        return results;
    }

    /// <summary>Calls /health/live alone a few times and returns how many bytes its dependencies received meanwhile.</summary>
    public async Task<(long Database, long Cache)> LiveOnlyTrafficAsync(CancellationToken cancellationToken)
    {
        var databaseBefore = database.BytesFromClients;
        var cacheBefore = cache.BytesFromClients;
        for (var i = 0; i < 5; i++)
        {
            await ProbeAsync("/health/live", cancellationToken);
            await Task.Delay(100, cancellationToken);
        }

        return (database.BytesFromClients - databaseBefore, cache.BytesFromClients - cacheBefore);
    }

    /// <summary>The same wait with no probe at all: what the clients send on their own (keep-alives).</summary>
    public async Task<(long Database, long Cache)> IdleTrafficAsync(CancellationToken cancellationToken)
    {
        var databaseBefore = database.BytesFromClients;
        var cacheBefore = cache.BytesFromClients;
        await Task.Delay(750, cancellationToken);
        return (database.BytesFromClients - databaseBefore, cache.BytesFromClients - cacheBefore);
    }

    private async Task<StateResult> ObserveAsync(ProbeState state, CancellationToken cancellationToken)
    {
        var live = new List<ProbeAnswer>();
        var ready = new List<ProbeAnswer>();
        var clock = Stopwatch.StartNew();
        var matched = 0;
        while (true)
        {
            live.Add(await ProbeAsync("/health/live", cancellationToken));
            var answer = await ProbeAsync("/health/ready", cancellationToken);
            ready.Add(answer);
            matched = Matches(state, answer) ? matched + 1 : 0;

            // Settled: two answers in a row as they should be (a cached readiness may take a moment to follow).
            if (matched >= 2)
            {
                return new StateResult(state, live, ready, Settled: true);
            }

            // Out of time, or two probes in a row that did not answer at all: this state has said what it will say.
            if (clock.Elapsed > s_settle || (ready.Count >= 2 && !ready[^1].Answered && !ready[^2].Answered))
            {
                return new StateResult(state, live, ready, Settled: false);
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private static bool LivenessFailed(IEnumerable<StateResult> results) =>
        results.Any(result => result.Live.Any(answer => answer.Status != 200));

    public static bool Matches(ProbeState state, ProbeAnswer answer) =>
        answer.Answered && answer.Took <= ProbeBound && (state.Ready
            ? answer.Status == 200 && answer.Body == (state.Degraded ? "Degraded" : "Healthy")
            : answer.Status == 503);

    private async Task<ProbeAnswer> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(HttpTimeout);
        try
        {
            using var response = await http.GetAsync(path, timeout.Token);
            var body = (await response.Content.ReadAsStringAsync(timeout.Token)).Trim();
            return new ProbeAnswer((int)response.StatusCode, body.Length > 40 ? body[..40] : body, clock.Elapsed);
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            return new ProbeAnswer(0, ex is HttpRequestException ? ex.Message : "no answer", clock.Elapsed);
        }
    }

    private async Task ApplyMigrationAsync(int version, CancellationToken cancellationToken)
    {
        await using var command = schema.CreateCommand(
            "INSERT INTO schema_migrations (version, description) VALUES ($1, $2) ON CONFLICT DO NOTHING");
        command.Parameters.AddWithValue(version);
        command.Parameters.AddWithValue(version == requiredVersion ? "the migration this build needs" : "a newer release's migration");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

internal static class Shuffling
{
    /// <summary>The items in an order drawn from <paramref name="seed"/>: a different order every run, the same for one run.</summary>
    public static List<T> Shuffle<T>(this List<T> items, int seed)
    {
        var random = new Random(seed);
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }

        return items;
    }
}
