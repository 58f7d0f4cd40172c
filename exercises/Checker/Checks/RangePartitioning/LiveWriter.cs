using System.Diagnostics;
using Npgsql;

namespace Lab.Checker.Checks.RangePartitioning;

/// <summary>
/// The application that keeps writing audit events while the learner's migration runs: one insert every few
/// milliseconds into audit_events by name, the id from its default, as the real service would. What it wrote must
/// all be in the new table afterwards.
/// </summary>
public sealed class LiveWriter : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly DateTimeOffset _from;
    private readonly TimeSpan _span;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<long> _written = [];
    private readonly List<string> _errors = [];
    private Task? _loop;

    public LiveWriter(string connectionString, DateTimeOffset from, DateTimeOffset to)
    {
        _connectionString = connectionString;
        _from = from;
        _span = to - from;
    }

    public IReadOnlyList<long> Written => _written;

    public IReadOnlyList<string> Errors => _errors;

    /// <summary>The longest a single insert waited (behind the migration's locks).</summary>
    public TimeSpan LongestWait { get; private set; }

    public void Start() => _loop = Task.Run(WriteAsync);

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task WriteAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        var sequence = 0;
        while (!_stop.IsCancellationRequested && _errors.Count < 3)
        {
            sequence++;
            var stopwatch = Stopwatch.StartNew();
            try
            {
                await using var insert = new NpgsqlCommand(
                    """
                    INSERT INTO audit_events (occurred_at, actor_id, action, resource_type, resource_id, payload)
                    VALUES (@occurred_at, @actor, 'update', 'chirp', @sequence, '{"source": "live writer"}')
                    RETURNING id
                    """,
                    connection);
                insert.Parameters.AddWithValue("occurred_at", _from + (_span * ((sequence * 7919 % 1000) / 1000.0)));
                insert.Parameters.AddWithValue("actor", 1 + (sequence % 5000));
                insert.Parameters.AddWithValue("sequence", (long)sequence);
                // Not cancellable: an insert waiting on the migration's lock finishes when the migration does.
                var id = (long)(await insert.ExecuteScalarAsync(CancellationToken.None))!;
                _written.Add(id);
            }
            catch (PostgresException ex)
            {
                _errors.Add($"ERROR: {ex.MessageText}");
            }

            LongestWait = stopwatch.Elapsed > LongestWait ? stopwatch.Elapsed : LongestWait;
            try
            {
                await Task.Delay(5, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }
}
