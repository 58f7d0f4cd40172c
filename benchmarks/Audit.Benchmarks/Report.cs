using System.Globalization;
using System.Text;

namespace Audit.Benchmarks;

/// <summary>The run's figures as Markdown, for docs/benchmarks.md.</summary>
internal static class Report
{
    public static string Markdown(string machine, string command, IngestResult? ingest, IReadOnlyList<SearchResult> searches)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"Run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {machine}").AppendLine();
        text.AppendLine("```").AppendLine(command).AppendLine("```").AppendLine();
        if (ingest is { } i)
        {
            text.AppendLine("### Ingest").AppendLine();
            text.AppendLine(c, $"{i.Events:N0} events of {i.Actors:N0} actors on a 6-partition topic, produced while the consumer ran and at most 20,000 ahead of it (the native mock cluster keeps only about 5 MB per partition), so the consumer always had a backlog.").AppendLine();
            text.AppendLine("| path | throughput | consumer ÷ this |");
            text.AppendLine("| --- | ---: | ---: |");
            text.AppendLine(c, $"| Audit.Service consumer: Kafka → parse → append (batches of up to 500 per transaction, hash chain) → offset commit | {i.EventsPerSecond:N0} events/s | 1.00 |");
            text.AppendLine(c, $"| pgbench -c {i.PgbenchClients}: the same INSERT alone, 1 row per transaction ({i.PgbenchInsert.Transactions:N0} tx) | {i.PgbenchInsert.Tps:N0} rows/s | {i.EventsPerSecond / i.PgbenchInsert.Tps:F2} |");
            text.AppendLine(c, $"| pgbench -c {i.PgbenchClients}: the same INSERT, 500 rows per transaction ({i.PgbenchInsertBatch.Transactions:N0} tx) | {i.PgbenchInsertBatch.Tps * 500:N0} rows/s | {i.EventsPerSecond / (i.PgbenchInsertBatch.Tps * 500):F2} |");
            text.AppendLine(c, $"| pgbench -c {i.PgbenchClients}: the service's whole append (claim id, lock head, insert, move head), 1 event per transaction ({i.PgbenchAppend.Transactions:N0} tx) | {i.PgbenchAppend.Tps:N0} events/s | {i.EventsPerSecond / i.PgbenchAppend.Tps:F2} |");
            text.AppendLine();
            text.AppendLine(c, $"Consumer: {i.FirstToLast.TotalSeconds:F1} s from the first append to the last ({i.SinceStart.TotalSeconds:F1} s from host start, group join included); sampled chains verify: {i.ChainsValid}.").AppendLine();
        }

        foreach (var search in searches)
        {
            text.AppendLine(c, $"### Search over {search.Rows:N0} events ({search.Size} with indexes, {search.Actors:N0} actors, 12 months + 3 ahead)").AppendLine();
            text.AppendLine("Latency in ms, one query at a time; page size 50 (51 fetched).").AppendLine();
            text.AppendLine("| shape | rows/page | service p50 | p95 | p99 | pgbench p50 | p95 | p99 | ratio p50 | ratio p95 | ratio p99 |");
            text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var shape in search.Shapes)
            {
                var s = shape.Service;
                var p = shape.Pgbench.Latency;
                text.AppendLine(c,
                    $"| {shape.Name} | {shape.RowsPerPage:F1} | {s.P50:F3} | {s.P95:F3} | {s.P99:F3} | {p.P50:F3} | {p.P95:F3} | {p.P99:F3} | {s.P50 / p.P50:F2} | {s.P95 / p.P95:F2} | {s.P99 / p.P99:F2} |");
            }

            text.AppendLine();
            text.AppendLine("<details><summary>Plans (EXPLAIN ANALYZE of the service's statement, one drawn filter per shape)</summary>").AppendLine();
            foreach (var shape in search.Shapes)
            {
                text.AppendLine(c, $"{shape.Name}:").AppendLine("```").Append(shape.Plan).AppendLine("```");
            }

            text.AppendLine("</details>").AppendLine();
        }

        return text.ToString();
    }
}
