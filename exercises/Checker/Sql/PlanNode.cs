using System.Globalization;
using System.Text.Json;

namespace Lab.Checker.Sql;

/// <summary>One node of an <c>EXPLAIN (FORMAT JSON)</c> plan, with the fields the checks read.</summary>
public sealed class PlanNode
{
    private readonly JsonElement _raw;

    private PlanNode(JsonElement raw)
    {
        _raw = raw;
        Children = raw.TryGetProperty("Plans", out var plans)
            ? plans.EnumerateArray().Select(child => new PlanNode(child)).ToList()
            : [];
    }

    public string NodeType => Text("Node Type") ?? "?";

    public IReadOnlyList<PlanNode> Children { get; }

    public string? RelationName => Text("Relation Name");

    public string? IndexName => Text("Index Name");

    public bool IsBackward => Text("Scan Direction") == "Backward";

    /// <summary>Seq, index, index-only and bitmap heap scans: the nodes that read a table.</summary>
    public bool ReadsTable => RelationName is not null;

    /// <summary>The name PostgreSQL's text format shows: Parallel Seq Scan, Index Scan Backward, HashAggregate...</summary>
    public string DisplayType
    {
        get
        {
            var type = NodeType;
            if (type == "Aggregate")
            {
                type = Text("Strategy") switch
                {
                    "Hashed" => "HashAggregate",
                    "Sorted" => "GroupAggregate",
                    "Mixed" => "MixedAggregate",
                    _ => "Aggregate",
                };
                type = Text("Partial Mode") switch
                {
                    "Partial" => $"Partial {type}",
                    "Finalize" => $"Finalize {type}",
                    _ => type,
                };
            }

            if (Flag("Parallel Aware"))
            {
                type = $"Parallel {type}";
            }

            if (IsBackward)
            {
                type = $"{type} Backward";
            }

            return type;
        }
    }

    public static PlanNode Parse(JsonElement plan) => new(plan);

    public IEnumerable<PlanNode> SelfAndDescendants()
    {
        yield return this;
        foreach (var descendant in Children.SelectMany(child => child.SelfAndDescendants()))
        {
            yield return descendant;
        }
    }

    public string? Text(string key) =>
        _raw.TryGetProperty(key, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(item => item.ToString())),
            _ => value.ToString(),
        } : null;

    public double? Number(string key) =>
        _raw.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    public long Count(string key) => (long)(Number(key) ?? 0);

    public bool Flag(string key) => _raw.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.True;

    /// <summary>Rows this node returned over all its loops (what EXPLAIN ANALYZE shows as rows × loops).</summary>
    public long ActualRows => (long)((Number("Actual Rows") ?? 0) * Math.Max(1, Number("Actual Loops") ?? 1));

    /// <summary>A per-loop counter (rows removed, heap fetches) summed over all loops.</summary>
    public long TotalOverLoops(string key) => (long)((Number(key) ?? 0) * Math.Max(1, Number("Actual Loops") ?? 1));

    /// <summary>Shared buffers this node and its children touched (hit + read).</summary>
    public long SharedBuffers => Count("Shared Hit Blocks") + Count("Shared Read Blocks");

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{DisplayType} {RelationName}");
}

/// <summary>A plan and the times PostgreSQL measured for it.</summary>
public sealed record ExplainResult(PlanNode Root, double ExecutionMilliseconds, double PlanningMilliseconds)
{
    public IEnumerable<PlanNode> Nodes => Root.SelfAndDescendants();

    public IEnumerable<PlanNode> Scans => Nodes.Where(node => node.ReadsTable || node.NodeType == "Bitmap Index Scan");

    public bool HasSort => Nodes.Any(node => node.NodeType is "Sort" or "Incremental Sort");

    /// <summary>The partitions (or tables) the executor actually read: scans that ran at least once.</summary>
    public IReadOnlyList<string> TablesRead => Nodes
        .Where(node => node.ReadsTable && !node.Flag("Never Executed") && (node.Number("Actual Loops") ?? 1) > 0)
        .Select(node => node.RelationName!)
        .Distinct(StringComparer.Ordinal)
        .ToList();

    public static ExplainResult Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var top = document.RootElement[0];
        var root = PlanNode.Parse(top.GetProperty("Plan").Clone());
        var execution = top.TryGetProperty("Execution Time", out var e) ? e.GetDouble() : 0;
        var planning = top.TryGetProperty("Planning Time", out var p) ? p.GetDouble() : 0;
        return new ExplainResult(root, execution, planning);
    }
}
