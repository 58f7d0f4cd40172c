using Npgsql;

namespace Lab.Checker.Sql;

/// <summary>Runs EXPLAIN ANALYZE and times queries the way the checks judge them: warm, several runs, the median.</summary>
public static class Explain
{
    /// <summary>One <c>EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)</c> of <paramref name="query"/>.</summary>
    public static async Task<ExplainResult> AnalyzeAsync(NpgsqlConnection connection, string query, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {query}", connection) { CommandTimeout = 0 };
        var json = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
        return ExplainResult.Parse(json);
    }

    /// <summary>
    /// The median execution time over <paramref name="runs"/> runs after one warm-up, measured by the server
    /// (EXPLAIN ANALYZE without per-node timing, so the measurement costs next to nothing).
    /// </summary>
    public static async Task<double> MedianMillisecondsAsync(
        NpgsqlConnection connection, string query, int runs, CancellationToken cancellationToken)
    {
        var times = new List<double>(runs);
        for (var run = 0; run <= runs; run++)
        {
            await using var command = new NpgsqlCommand($"EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) {query}", connection) { CommandTimeout = 0 };
            var json = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
            if (run > 0)
            {
                times.Add(ExplainResult.Parse(json).ExecutionMilliseconds);
            }
        }

        times.Sort();
        return times.Count % 2 == 1 ? times[times.Count / 2] : (times[(times.Count / 2) - 1] + times[times.Count / 2]) / 2;
    }
}
