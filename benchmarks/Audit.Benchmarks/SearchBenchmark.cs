extern alias migrator;

using System.Diagnostics;
using System.Globalization;
using System.Text;
using Audit.Service.Search;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SandboxShared;

namespace Audit.Benchmarks;

/// <summary>
/// (b) Search latency: for each shape, sequential searches through the service's own search code (AuditEventSearch:
/// the statement, Npgsql, reading rows into responses), beside pgbench running the same statement with one client.
/// </summary>
internal static class SearchBenchmark
{
    private const int Warmup = 100;
    private const int Actors = 10_000;

    public static async Task<SearchResult> RunAsync(BenchmarkSettings settings, long rows, string auditDb, string kafka, TextWriter log)
    {
        var (database, _) = await BenchDatabase.OpenOrCreateAsync(auditDb, $"bench_audit_search_{rows}", settings.KeepDatabases);
        await using (database)
        {
            var space = await SearchData.EnsureAsync(database, rows, Actors, log);
            var size = await database.ScalarAsync<string>(
                "SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid))) FROM pg_inherits WHERE inhparent = 'audit_events'::regclass");
            using var host = AuditHost.Build(database.ConnectionString, kafka, topic: null);
            var search = host.Services.GetRequiredService<AuditEventSearch>();
            var searchSql = ReadSearchSql();
            var shapes = new List<ShapeResult>();
            foreach (var shape in SearchShape.All)
            {
                var random = new Random(7);
                for (var i = 0; i < Warmup; i++)
                {
                    await search.SearchAsync(shape.Draw(random, space), CancellationToken.None);
                }

                var latencies = new List<double>(settings.Queries);
                long found = 0;
                for (var i = 0; i < settings.Queries; i++)
                {
                    var filter = shape.Draw(random, space);
                    var started = Stopwatch.GetTimestamp();
                    var page = await search.SearchAsync(filter, CancellationToken.None);
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    found += page.Items.Count;
                }

                var service = Percentiles.Of(latencies);
                var pgbench = await Pgbench.RunAsync(
                    database, shape.PgbenchScript(searchSql, space), clients: 1, settings.PgbenchSeconds, new Dictionary<string, string>(), logLatencies: true);
                var plan = await ExplainAsync(database, searchSql, shape.Draw(new Random(11), space));
                shapes.Add(new ShapeResult(shape.Name, service, (double)found / settings.Queries, pgbench, plan));
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"search {rows:N0}: {shape.Name,-22} service p50 {service.P50:F3} p95 {service.P95:F3} p99 {service.P99:F3} ms | pgbench p50 {pgbench.Latency.P50:F3} p95 {pgbench.Latency.P95:F3} p99 {pgbench.Latency.P99:F3} ms"));
            }

            return new SearchResult(rows, Actors, size, shapes);
        }
    }

    private static string ReadSearchSql() => EmbeddedSql.Load(typeof(AuditEventSearch).Assembly, "Search/Sql/search_events.sql");

    /// <summary>EXPLAIN ANALYZE of the service's statement with one drawn filter: which index, which partitions.</summary>
    private static async Task<string> ExplainAsync(BenchDatabase database, string searchSql, AuditSearchFilter filter)
    {
        await using var command = database.DataSource.CreateCommand("EXPLAIN (ANALYZE, COSTS OFF, BUFFERS, TIMING OFF) " + searchSql);
        command.Parameters.Add(new NpgsqlParameter<Guid?> { TypedValue = filter.ActorId });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = filter.ResourceType });
        command.Parameters.Add(new NpgsqlParameter<Guid?> { TypedValue = filter.ResourceId });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = filter.Action });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = filter.From });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = filter.To });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = null });
        command.Parameters.Add(new NpgsqlParameter<long?> { TypedValue = null });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = filter.Limit + 1 });
        await using var reader = await command.ExecuteReaderAsync();
        var plan = new StringBuilder();
        while (await reader.ReadAsync())
        {
            plan.AppendLine(reader.GetString(0));
        }

        return plan.ToString();
    }
}

internal sealed record ShapeResult(string Name, Percentiles Service, double RowsPerPage, PgbenchResult Pgbench, string Plan);

internal sealed record SearchResult(long Rows, int Actors, string Size, IReadOnlyList<ShapeResult> Shapes);
