using System.Collections.Concurrent;
using System.Diagnostics;
using Lab.Checker.Processes;

namespace Lab.Checker.Checks.CacheStampede;

/// <summary>One answer of the learner's code, as an instance reported it.</summary>
/// <param name="At">When the answer reached the checker, on the checker's clock.</param>
public sealed record CallResult(int Instance, long User, bool Ok, string? Value, string? Error, double Milliseconds, TimeSpan At = default);

/// <summary>Something an instance's store did: a database read ("db"), a read that hangs ("hang"), a transaction open or committed.</summary>
public sealed record StoreEvent(int Instance, string Kind, long User, TimeSpan At);

/// <summary>
/// The instances of exercise 08's timeline service the checker drives: several processes, each with the learner's
/// code, one Redis (behind the check's proxy) and one database. Sends them calls, collects the answers and what their
/// stores did.
/// </summary>
public sealed class TimelineApps : IDisposable
{
    private static readonly TimeSpan s_answerTimeout = TimelineAppHost.CallTimeout + TimeSpan.FromSeconds(3);
    private readonly List<CheckerChildProcess> _processes = [];
    private readonly ConcurrentDictionary<int, ConcurrentQueue<CallResult>> _answers = new();
    private readonly ConcurrentQueue<StoreEvent> _events = new();
    private readonly ConcurrentDictionary<int, int> _ready = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _batch;

    public int Count => _processes.Count;

    public TimeSpan Now => _clock.Elapsed;

    public IReadOnlyCollection<StoreEvent> Events => _events;

    /// <summary>Starts <paramref name="count"/> instances and waits until each has connected (or the time is up): false then.</summary>
    public static async Task<(TimelineApps Apps, string? Problem)> StartAsync(
        int count, string assemblyPath, int redisProxyPort, string labDb, string redis, CancellationToken cancellationToken)
    {
        var apps = new TimelineApps();
        for (var instance = 1; instance <= count; instance++)
        {
            var number = instance;
            apps._processes.Add(TimelineAppHost.Start(assemblyPath, redisProxyPort, labDb, redis, line => apps.Receive(number, line)));
        }

        var clock = Stopwatch.StartNew();
        while (apps._ready.Count < count && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (apps._processes.FirstOrDefault(process => process.HasExited) is { } exited)
            {
                return (apps, exited.Errors.Length > 0 ? exited.Errors : $"an instance exited with code {exited.ExitCode} as it started");
            }

            await Task.Delay(50, cancellationToken);
        }

        return (apps, apps._ready.Count < count ? "the instances did not start within 30 s" : null);
    }

    public bool IsRunning(int instance) => !_processes[instance - 1].HasExited;

    /// <summary>Sets the store of every running instance: a slow database, a user whose read hangs, a slow commit.</summary>
    public async Task SetAsync(int readDelayMs, long hangUser, int commitDelayMs, int? onlyInstance = null)
    {
        var batch = Interlocked.Increment(ref _batch);
        var targets = Instances().Where(instance => onlyInstance is null || instance == onlyInstance).ToList();
        foreach (var instance in targets)
        {
            Send(instance, new AppRequest("set", batch, ReadDelayMs: readDelayMs, HangUser: hangUser, CommitDelayMs: commitDelayMs));
        }

        await WaitAsync(batch, targets.Count, TimeSpan.FromSeconds(5));
    }

    /// <summary>Starts <paramref name="count"/> concurrent reads of one user's timeline on one instance; returns the batch to wait for.</summary>
    public int StartReads(int instance, long user, int count)
    {
        var batch = Interlocked.Increment(ref _batch);
        Send(instance, new AppRequest("read", batch, user, count));
        return batch;
    }

    /// <summary>The same reads on every running instance at once: <paramref name="total"/> of them, shared out evenly.</summary>
    public async Task<IReadOnlyList<CallResult>> ReadEverywhereAsync(long user, int total)
    {
        var running = Instances().ToList();
        var batches = running.Select((instance, index) =>
        {
            var count = (total / running.Count) + (index < total % running.Count ? 1 : 0);
            return (Batch: StartReads(instance, user, count), Count: count);
        }).ToList();
        var results = await Task.WhenAll(batches.Select(batch => WaitAsync(batch.Batch, batch.Count, s_answerTimeout)));
        return [.. results.SelectMany(result => result)];
    }

    public int StartPost(int instance, long user, string text)
    {
        var batch = Interlocked.Increment(ref _batch);
        Send(instance, new AppRequest("post", batch, user, Text: text));
        return batch;
    }

    /// <summary>The answers of one batch, waiting for <paramref name="count"/> of them at most <paramref name="timeout"/>; missing ones count as no answer.</summary>
    public async Task<IReadOnlyList<CallResult>> WaitAsync(int batch, int count, TimeSpan? timeout = null)
    {
        var queue = _answers.GetOrAdd(batch, _ => new ConcurrentQueue<CallResult>());
        var clock = Stopwatch.StartNew();
        while (queue.Count < count && clock.Elapsed < (timeout ?? s_answerTimeout))
        {
            await Task.Delay(10);
        }

        var answers = queue.ToList();
        var instance = answers.FirstOrDefault()?.Instance ?? 0;
        var user = answers.FirstOrDefault()?.User ?? 0;
        for (var missing = answers.Count; missing < count; missing++)
        {
            answers.Add(new CallResult(instance, user, false, null, $"no answer within {(timeout ?? s_answerTimeout).TotalSeconds:0} s", (timeout ?? s_answerTimeout).TotalMilliseconds));
        }

        return answers;
    }

    /// <summary>The answers of several batches, waited for at once (so a hanging learner costs one timeout, not one per batch), in order.</summary>
    public async Task<IReadOnlyList<CallResult>> WaitAllAsync(IEnumerable<int> batches, int countEach)
    {
        var answers = await Task.WhenAll(batches.Select(batch => WaitAsync(batch, countEach)));
        return [.. answers.SelectMany(answer => answer)];
    }

    /// <summary>Waits until an instance's store reports <paramref name="kind"/> for <paramref name="user"/> (after <paramref name="since"/>).</summary>
    public async Task<bool> WaitForEventAsync(string kind, long user, TimeSpan since, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_events.Any(@event => @event.Kind == kind && @event.User == user && @event.At >= since))
            {
                return true;
            }

            await Task.Delay(5);
        }

        return false;
    }

    public IReadOnlyList<StoreEvent> DatabaseReads(long user, TimeSpan since) =>
        [.. _events.Where(@event => @event.Kind == "db" && @event.User == user && @event.At >= since)];

    public IReadOnlyList<StoreEvent> DatabaseReads(TimeSpan since) =>
        [.. _events.Where(@event => @event.Kind == "db" && @event.At >= since)];

    /// <summary>SIGKILL, as a crash: the instance's locks and half-done work stay where they are.</summary>
    public async Task KillAsync(int instance) => await _processes[instance - 1].KillAsync();

    public string Errors(int instance) => _processes[instance - 1].Errors;

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }
    }

    private IEnumerable<int> Instances() => Enumerable.Range(1, _processes.Count).Where(IsRunning);

    private void Send(int instance, AppRequest request) => _processes[instance - 1].SendLine(TimelineAppHost.Serialize(request));

    private void Receive(int instance, string line)
    {
        if (TimelineAppHost.Parse(line) is not { } message)
        {
            return;
        }

        switch (message.Kind)
        {
            case "ready":
                _ready[instance] = instance;
                break;
            case "db" or "hang" or "open" or "committed":
                _events.Enqueue(new StoreEvent(instance, message.Kind, message.User, _clock.Elapsed));
                break;
            default:
                _answers.GetOrAdd(message.Batch, _ => new ConcurrentQueue<CallResult>())
                    .Enqueue(new CallResult(instance, message.User, message.Ok, message.Value, message.Error, message.Ms, _clock.Elapsed));
                break;
        }
    }
}
