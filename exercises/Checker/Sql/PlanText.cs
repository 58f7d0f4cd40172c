using System.Globalization;

namespace Lab.Checker.Sql;

/// <summary>
/// A plan as lines close to PostgreSQL's own text format (what the learner will meet in psql and the docs),
/// without costs and per-node timings, which only add noise here.
/// </summary>
public static class PlanText
{
    private static readonly string[] s_details =
    [
        "Index Cond", "Recheck Cond", "Filter", "Rows Removed by Filter", "Rows Removed by Index Recheck",
        "Sort Key", "Heap Fetches", "Subplans Removed",
    ];

    public static IReadOnlyList<string> Lines(ExplainResult plan, bool buffers = false, int maxChildren = 4)
    {
        var lines = new List<string>();
        Write(plan.Root, 0, true, buffers, maxChildren, lines);
        return lines;
    }

    public static string Number(double value) =>
        value >= 100 ? value.ToString("#,0", CultureInfo.InvariantCulture)
        : value >= 10 ? value.ToString("0.0", CultureInfo.InvariantCulture)
        : value.ToString("0.00", CultureInfo.InvariantCulture);

    public static string Count(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>A duration in the unit that reads best: 0.08 ms, 61.3 ms, 1,204 ms.</summary>
    public static string Milliseconds(double value) => $"{Number(value)} ms";

    /// <summary>A ratio as people say it: 12x, 680x.</summary>
    public static string Ratio(double value) => value >= 10
        ? $"{value.ToString("#,0", CultureInfo.InvariantCulture)}x"
        : $"{value.ToString("0.0", CultureInfo.InvariantCulture)}x";

    public static string Bytes(long bytes) => bytes switch
    {
        >= 10L * 1024 * 1024 => $"{Count(bytes / (1024 * 1024))} MB",
        >= 10L * 1024 => $"{Count(bytes / 1024)} kB",
        _ => $"{Count(bytes)} bytes",
    };

    private static void Write(PlanNode node, int depth, bool root, bool buffers, int maxChildren, List<string> lines)
    {
        // The layout of PostgreSQL's text format: "->  " under the parent, details two columns in from the node.
        var textColumn = root ? 0 : (depth * 6);
        var indent = root ? string.Empty : new string(' ', textColumn - 4) + "->  ";
        var title = node.DisplayType;
        if (node.IndexName is not null && node.NodeType != "Bitmap Index Scan")
        {
            title += $" using {node.IndexName}";
        }

        if (node.NodeType == "Bitmap Index Scan")
        {
            title += $" on {node.IndexName}";
        }
        else if (node.RelationName is not null)
        {
            title += $" on {node.RelationName}";
        }

        lines.Add($"{indent}{title}  (rows={Count(node.ActualRows)}{(node.Count("Actual Loops") == 0 ? ", never executed" : string.Empty)})");
        var detailIndent = new string(' ', textColumn + 2);
        foreach (var key in s_details)
        {
            var value = node.Text(key);
            if (value is not null && !(key.StartsWith("Rows Removed", StringComparison.Ordinal) && value == "0"))
            {
                lines.Add($"{detailIndent}{key}: {FormatDetail(node, key, value)}");
            }
        }

        if (buffers && node.ReadsTable || buffers && node.NodeType == "Bitmap Index Scan")
        {
            lines.Add($"{detailIndent}Buffers: shared hit={Count(node.Count("Shared Hit Blocks"))} read={Count(node.Count("Shared Read Blocks"))}");
        }

        var shown = node.Children.Take(maxChildren).ToList();
        foreach (var child in shown)
        {
            Write(child, depth + 1, false, buffers, maxChildren, lines);
        }

        if (node.Children.Count > shown.Count)
        {
            lines.Add($"{new string(' ', ((depth + 1) * 6) - 4)}->  ... {node.Children.Count - shown.Count} more like these");
        }
    }

    /// <summary>Row counts over all loops (EXPLAIN gives them per loop, which misleads under parallel workers).</summary>
    private static string FormatDetail(PlanNode node, string key, string value) =>
        key switch
        {
            "Rows Removed by Filter" or "Rows Removed by Index Recheck" => Count(node.TotalOverLoops(key)),
            "Heap Fetches" => Count(node.Count(key)),
            _ => value,
        };
}
