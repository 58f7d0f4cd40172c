using Npgsql;

namespace Lab.Checker.Checks.RangePartitioning;

/// <summary>
/// The application that keeps writing audit events while the learner's migration runs: three connections inserting
/// into audit_events by name, the id from its default, as the real service would. Like the service, they commit out
/// of id order: one holds each transaction open for half a second while the others commit newer ids, so a copy that
/// catches up by "id greater than the highest copied" misses rows. What they committed must all be in the new table.
/// </summary>
public sealed class LiveWriter : IAsyncDisposable
{
    private static readonly TimeSpan s_slowHold = TimeSpan.FromMilliseconds(500);
    private readonly string _connectionString;
    private readonly DateTimeOffset _from;
    private readonly TimeSpan _span;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<long> _written = [];
    private readonly List<string> _errors = [];
    private readonly List<Task> _loops = [];
    private int _sequence;
    private long _outOfOrder;
    private long _highestCommitted;

    public LiveWriter(string connectionString, DateTimeOffset from, DateTimeOffset to)
    {
        _connectionString = connectionString;
        _from = from;
        _span = to - from;
    }

    public IReadOnlyList<long> Written
    {
        get
        {
            lock (_written)
            {
                return [.. _written];
            }
        }
    }

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>How many commits came after a commit of a higher id: the writers really committed out of order.</summary>
    public long OutOfOrderCommits => Interlocked.Read(ref _outOfOrder);

    /// <summary>The longest a single insert waited (behind the migration's locks).</summary>
    public TimeSpan LongestWait { get; private set; }

    public void Start()
    {
        _loops.Add(Task.Run(() => WriteAsync(slow: true)));
        _loops.Add(Task.Run(() => WriteAsync(slow: false)));
        _loops.Add(Task.Run(() => WriteAsync(slow: false)));
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task WriteAsync(bool slow)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        while (!_stop.IsCancellationRequested && Errors.Count < 3)
        {
            var sequence = Interlocked.Increment(ref _sequence);
            var started = DateTime.UtcNow;
            try
            {
                // Not cancellable: an insert waiting on the migration's lock finishes when the migration does.
                await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None);
                await using var insert = new NpgsqlCommand(
                    """
                    INSERT INTO audit_events (occurred_at, actor_id, action, resource_type, resource_id, payload)
                    VALUES (@occurred_at, @actor, 'update', 'chirp', @sequence, '{"source": "live writer"}')
                    RETURNING id
                    """,
                    connection,
                    transaction);
                insert.Parameters.AddWithValue("occurred_at", _from + (_span * ((sequence * 7919 % 1000) / 1000.0)));
                insert.Parameters.AddWithValue("actor", 1 + (sequence % 5000));
                insert.Parameters.AddWithValue("sequence", (long)sequence);
                var id = (long)(await insert.ExecuteScalarAsync(CancellationToken.None))!;
                var waited = DateTime.UtcNow - started;
                await Task.Delay(slow ? s_slowHold : TimeSpan.FromMilliseconds(sequence % 15), CancellationToken.None);
                await transaction.CommitAsync(CancellationToken.None);
                lock (_written)
                {
                    _written.Add(id);
                    if (id < _highestCommitted)
                    {
                        _outOfOrder++;
                    }

                    _highestCommitted = Math.Max(_highestCommitted, id);
                    LongestWait = waited > LongestWait ? waited : LongestWait;
                }
            }
            catch (PostgresException ex)
            {
                lock (_errors)
                {
                    _errors.Add($"ERROR: {ex.MessageText}");
                }
            }

            try
            {
                await Task.Delay(slow ? 0 : 5, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }
}
