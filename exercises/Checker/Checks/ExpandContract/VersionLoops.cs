using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;

namespace Lab.Checker.Checks.ExpandContract;

/// <summary>The two versions of the service: N reads and writes users.display_name, N+1 users.name.</summary>
public enum AppVersion
{
    N,
    NPlus1,
}

/// <summary>A query of one version that failed.</summary>
public sealed record LoopError(AppVersion Version, string Operation, TimeSpan At, string Message);

/// <summary>A read that did not return the last value acknowledged for that user (by either version).</summary>
/// <param name="WrittenBy">Null when the expected value is the one the table had before the run.</param>
public sealed record Divergence(AppVersion Version, long User, string? Got, string Expected, AppVersion? WrittenBy, TimeSpan WrittenAt, TimeSpan At);

/// <summary>One query of one version: when it started and how long it took.</summary>
public sealed record LoopOp(AppVersion Version, TimeSpan At, TimeSpan Took);

/// <summary>
/// What the service believes about its users: the last value acknowledged for each, by which version and when. Each
/// user is written or read by one query at a time, so "the last acknowledged write" is well defined.
/// </summary>
public sealed class UserLedger
{
    private readonly ConcurrentDictionary<long, Entry> _entries = new();
    private readonly ConcurrentDictionary<long, byte> _busy = new();
    private readonly List<long> _users;
    private readonly List<long>[] _recent = [[], []];
    private readonly Lock _gate = new();

    public UserLedger(IReadOnlyDictionary<long, string> users)
    {
        foreach (var (id, name) in users)
        {
            _entries[id] = new Entry(name, null, TimeSpan.Zero);
        }

        _users = [.. users.Keys];
    }

    public IReadOnlyDictionary<long, Entry> Entries => _entries;

    /// <summary>
    /// A user no other query works on right now, reserved until <see cref="Release"/>. With <paramref name="writtenBy"/>,
    /// preferably one that version wrote lately: reading the other version's writes is what exposes a one-way sync.
    /// </summary>
    public long Take(Random random, AppVersion? writtenBy = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            long user;
            lock (_gate)
            {
                var recent = writtenBy is { } version ? _recent[(int)version] : [];
                user = recent.Count > 0 && attempt < 3 ? recent[random.Next(recent.Count)] : _users[random.Next(_users.Count)];
            }

            if (_busy.TryAdd(user, 0))
            {
                return user;
            }
        }
    }

    public void Release(long user) => _busy.TryRemove(user, out _);

    public void Written(long user, string value, AppVersion version, TimeSpan at)
    {
        _entries[user] = new Entry(value, version, at);
        Remember(user, version);
    }

    public void Added(long user, string value, AppVersion version, TimeSpan at)
    {
        _entries[user] = new Entry(value, version, at);
        lock (_gate)
        {
            _users.Add(user);
        }

        Remember(user, version);
    }

    private void Remember(long user, AppVersion version)
    {
        lock (_gate)
        {
            var recent = _recent[(int)version];
            recent.Add(user);
            if (recent.Count > 20)
            {
                recent.RemoveAt(0);
            }
        }
    }

    /// <param name="WrittenBy">Null for the value the table had before the run.</param>
    public sealed record Entry(string Value, AppVersion? WrittenBy, TimeSpan At);
}

/// <summary>
/// The traffic of one version of the service against the users table: a few workers, each on its own connection,
/// updating, reading back and creating users as fast as the database lets them, recording every error, every read
/// that disagrees with the ledger, and how long each query took.
/// </summary>
public sealed class VersionLoops(AppVersion version, string connectionString, UserLedger ledger, Stopwatch clock, int seed) : IAsyncDisposable
{
    public const int Workers = 2;
    private readonly ConcurrentQueue<LoopError> _errors = new();
    private readonly ConcurrentQueue<Divergence> _divergences = new();
    private readonly ConcurrentQueue<LoopOp> _ops = new();
    private readonly List<Task> _running = [];
    private CancellationTokenSource? _stop;
    private int _written;
    private int _started;

    public AppVersion Version => version;

    public string Column => version == AppVersion.N ? "display_name" : "name";

    public IReadOnlyCollection<LoopError> Errors => _errors;

    public IReadOnlyCollection<Divergence> Divergences => _divergences;

    public IReadOnlyCollection<LoopOp> Ops => _ops;

    public bool Running => _stop is not null;

    public static string Label(AppVersion version) => version == AppVersion.N ? "N" : "N+1";

    public void Start()
    {
        _stop = new CancellationTokenSource();
        var token = _stop.Token;
        for (var worker = 0; worker < Workers; worker++)
        {
            var random = new Random(seed + (1000 * Interlocked.Increment(ref _started)));
            _running.Add(Task.Run(() => WorkAsync(random, token), CancellationToken.None));
        }
    }

    /// <summary>Stops after the queries in flight have finished, as a drained instance does.</summary>
    public async Task StopAsync()
    {
        if (_stop is null)
        {
            return;
        }

        await _stop.CancelAsync();
        await Task.WhenAll(_running);
        _running.Clear();
        _stop.Dispose();
        _stop = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task WorkAsync(Random random, CancellationToken stop)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(CancellationToken.None);
        while (!stop.IsCancellationRequested)
        {
            var dice = random.Next(100);
            var operation = dice < 10 ? "INSERT" : dice < 55 ? "UPDATE" : "SELECT";
            // Half of the reads go to users the other version wrote lately.
            var other = version == AppVersion.N ? AppVersion.NPlus1 : AppVersion.N;
            var user = operation == "INSERT" ? 0 : ledger.Take(random, operation == "SELECT" && random.Next(2) == 0 ? other : null);
            var started = clock.Elapsed;
            try
            {
                // Never cancelled: a query waiting on a migration's lock finishes when the lock is released.
                await (operation switch
                {
                    "INSERT" => InsertAsync(connection),
                    "UPDATE" => UpdateAsync(connection, user),
                    _ => ReadAsync(connection, user),
                });
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                if (_errors.Count < 200)
                {
                    _errors.Enqueue(new LoopError(version, operation, started, ex is PostgresException pg ? $"ERROR: {pg.MessageText}" : ex.Message.Split('\n')[0]));
                }

                if (connection.State != System.Data.ConnectionState.Open)
                {
                    await connection.OpenAsync(CancellationToken.None);
                }

                await Task.Delay(20, CancellationToken.None);
            }
            finally
            {
                if (user != 0)
                {
                    ledger.Release(user);
                }

                _ops.Enqueue(new LoopOp(version, started, clock.Elapsed - started));
            }

            await Task.Delay(2, CancellationToken.None);
        }
    }

    private async Task UpdateAsync(NpgsqlConnection connection, long user)
    {
        var value = $"{Label(version)} write {Interlocked.Increment(ref _written)}";
        await using var update = new NpgsqlCommand($"UPDATE users SET {Column} = $2 WHERE id = $1", connection);
        update.Parameters.AddWithValue(user);
        update.Parameters.AddWithValue(value);
        if (await update.ExecuteNonQueryAsync(CancellationToken.None) == 1)
        {
            ledger.Written(user, value, version, clock.Elapsed);
        }
    }

    private async Task ReadAsync(NpgsqlConnection connection, long user)
    {
        var expected = ledger.Entries[user];
        await using var read = new NpgsqlCommand($"SELECT {Column} FROM users WHERE id = $1", connection);
        read.Parameters.AddWithValue(user);
        var got = await read.ExecuteScalarAsync(CancellationToken.None) as string;
        if (got != expected.Value && _divergences.Count < 200)
        {
            _divergences.Enqueue(new Divergence(version, user, got, expected.Value, expected.WrittenBy, expected.At, clock.Elapsed));
        }
    }

    private async Task InsertAsync(NpgsqlConnection connection)
    {
        var value = $"{Label(version)} signup {Interlocked.Increment(ref _written)}";
        await using var insert = new NpgsqlCommand($"INSERT INTO users ({Column}, email) VALUES ($1, $2) RETURNING id", connection);
        insert.Parameters.AddWithValue(value);
        insert.Parameters.AddWithValue($"{Guid.NewGuid():N}@example.com");
        var id = (long)(await insert.ExecuteScalarAsync(CancellationToken.None))!;
        ledger.Added(id, value, version, clock.Elapsed);
    }
}
