using System.Diagnostics;
using Npgsql;

namespace Audit.Benchmarks;

/// <summary>
/// Fills a benchmark database with a generated audit log of N rows over the twelve months up to the end of this one
/// (INSERT ... SELECT generate_series, 1M rows per statement), with the migration's secondary indexes dropped during
/// the load and rebuilt after it, then VACUUM ANALYZE. A database that already holds N rows is reused.
/// </summary>
internal static class SearchData
{
    private const long Chunk = 1_000_000;

    public static async Task<SearchSpace> EnsureAsync(BenchDatabase database, long rows, int actors, TextWriter log)
    {
        var now = DateTimeOffset.UtcNow;
        var end = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
        var start = end.AddMonths(-12);
        var space = new SearchSpace(rows, actors, start, (int)(end - start).TotalDays);
        var existing = await database.ScalarAsync<long>("SELECT count(*) FROM audit_events");
        if (existing == rows
            && await database.ScalarAsync<DateTime>("SELECT min(occurred_at) FROM audit_events") == start.UtcDateTime)
        {
            log.WriteLine($"search: {database.Name} already holds {rows:N0} rows; reusing it");
            return space;
        }

        var clock = Stopwatch.StartNew();
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await ExecuteAsync(connection, "SET synchronous_commit = off; SET maintenance_work_mem = '1GB'; TRUNCATE audit_events, audit_event_ids, audit_stream_heads");
        for (var month = start; month < end.AddMonths(3); month = month.AddMonths(1))
        {
            await ExecuteAsync(connection, "SELECT audit_ensure_month_partition($1)", DateOnly.FromDateTime(month.UtcDateTime));
        }

        var indexes = new List<string>();
        await using (var read = new NpgsqlCommand(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'audit_events' AND indexname <> 'audit_events_pkey'",
            connection))
        await using (var reader = await read.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                // pg_indexes shows a partitioned table's index as "ON ONLY", which would not build the partitions' indexes.
                indexes.Add(reader.GetString(1).Replace(" ON ONLY ", " ON ", StringComparison.Ordinal));
                log.WriteLine($"search: dropping for the load: {reader.GetString(0)}");
            }
        }

        foreach (var definition in indexes)
        {
            var name = definition.Split(' ')[2];
            await ExecuteAsync(connection, $"DROP INDEX {name}");
        }

        var generate = Sql.Get("generate_events.sql");
        var span = (end - start).TotalSeconds;
        for (var from = 1L; from <= rows; from += Chunk)
        {
            var to = Math.Min(rows, from + Chunk - 1);
            await ExecuteAsync(connection, generate, from, to, actors, start, span, rows);
            log.WriteLine($"search: generated {to:N0} of {rows:N0} rows ({clock.Elapsed.TotalSeconds:F0} s)");
        }

        foreach (var definition in indexes)
        {
            await ExecuteAsync(connection, definition);
            log.WriteLine($"search: rebuilt {definition.Split(' ')[2]} ({clock.Elapsed.TotalSeconds:F0} s)");
        }

        await ExecuteAsync(connection, "VACUUM (ANALYZE) audit_events");
        var size = await database.ScalarAsync<string>(
            "SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid))) FROM pg_inherits WHERE inhparent = 'audit_events'::regclass");
        log.WriteLine($"search: {rows:N0} rows ready in {clock.Elapsed.TotalSeconds:F0} s, {size} with indexes");
        return space;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync();
    }
}
