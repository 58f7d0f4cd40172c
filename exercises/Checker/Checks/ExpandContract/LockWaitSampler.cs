using System.Diagnostics;
using Npgsql;

namespace Lab.Checker.Checks.ExpandContract;

/// <summary>How long the longest query of the service had been waiting for a lock, at one moment.</summary>
public sealed record LockWait(TimeSpan At, TimeSpan Waited, string Waiter);

/// <summary>
/// Watches the service's sessions in pg_stat_activity every few milliseconds and records, for each that waits for a
/// lock (a row, or the table), how long its query has been running. Lock waits are the migration's doing; a slow
/// moment of a busy machine is not a lock wait, so this measures what the exercise is about and nothing else.
/// </summary>
public sealed class LockWaitSampler(string connectionString, IReadOnlyList<string> applicationNames, Stopwatch clock) : IAsyncDisposable
{
    private readonly List<LockWait> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public IReadOnlyList<LockWait> Samples
    {
        get
        {
            lock (_samples)
            {
                return [.. _samples];
            }
        }
    }

    public void Start() => _loop = Task.Run(SampleAsync);

    /// <summary>The longest wait seen between <paramref name="from"/> and <paramref name="to"/>.</summary>
    public LockWait? Longest(TimeSpan from, TimeSpan to) =>
        Samples.Where(sample => sample.At >= from && sample.At <= to).MaxBy(sample => sample.Waited);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stop.Dispose();
    }

    private async Task SampleAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(_stop.Token);
        await using var command = new NpgsqlCommand(
            """
            SELECT application_name, extract(epoch FROM clock_timestamp() - query_start)::float8
            FROM pg_stat_activity
            WHERE application_name = ANY($1) AND state = 'active' AND wait_event_type = 'Lock'
            """,
            connection);
        command.Parameters.AddWithValue(applicationNames.ToArray());
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await using (var reader = await command.ExecuteReaderAsync(_stop.Token))
                {
                    while (await reader.ReadAsync(_stop.Token))
                    {
                        var sample = new LockWait(clock.Elapsed, TimeSpan.FromSeconds(reader.GetDouble(1)), reader.GetString(0));
                        lock (_samples)
                        {
                            _samples.Add(sample);
                        }
                    }
                }

                await Task.Delay(15, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
