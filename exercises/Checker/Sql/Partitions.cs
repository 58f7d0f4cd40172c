using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Lab.Checker.Sql;

/// <summary>A partition: its bound as PostgreSQL prints it, the range it covers, its file on disk and its rows.</summary>
public sealed record PartitionInfo(string Name, string Bound, DateTimeOffset? From, DateTimeOffset? To, long FileNode, long Rows)
{
    public bool IsDefault => Bound == "DEFAULT";

    /// <summary>Exactly one calendar month (UTC): from the first of a month to the first of the next.</summary>
    public bool IsOneMonth =>
        From is { } from && To is { } to && from.Offset == TimeSpan.Zero && from.Day == 1 && from.TimeOfDay == TimeSpan.Zero
        && to == from.AddMonths(1);

    public string Month => From?.ToString("yyyy-MM", CultureInfo.InvariantCulture) ?? Bound;
}

/// <summary>What the catalog says about a partitioned table (the checks read it; learners see the same in \d+).</summary>
public static partial class Partitions
{
    /// <summary>"r" when <paramref name="table"/> is a plain table, "p:range:occurred_at" when range-partitioned on that column.</summary>
    public static async Task<string?> KindAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT c.relkind::text,
                   pt.partstrat::text,
                   (SELECT string_agg(a.attname, ',' ORDER BY k.ord)
                    FROM unnest(pt.partattrs) WITH ORDINALITY AS k(attnum, ord)
                    JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum = k.attnum)
            FROM pg_class AS c
            LEFT JOIN pg_partitioned_table AS pt ON pt.partrelid = c.oid
            WHERE c.oid = to_regclass(@table)
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("table", table);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var kind = reader.GetString(0);
        if (kind != "p")
        {
            return kind;
        }

        var strategy = reader.IsDBNull(1) ? "?" : reader.GetString(1) switch { "r" => "range", "l" => "list", "h" => "hash", var other => other };
        return $"p:{strategy}:{(reader.IsDBNull(2) ? string.Empty : reader.GetString(2))}";
    }

    /// <summary>The partitions of <paramref name="table"/>, oldest first, the default partition last.</summary>
    public static async Task<IReadOnlyList<PartitionInfo>> ListAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT c.relname, pg_get_expr(c.relpartbound, c.oid), pg_relation_filenode(c.oid)::bigint, greatest(c.reltuples, 0)::bigint
            FROM pg_inherits AS i
            JOIN pg_class AS c ON c.oid = i.inhrelid
            WHERE i.inhparent = to_regclass(@table)
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("table", table);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var partitions = new List<PartitionInfo>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var bound = reader.IsDBNull(1) ? "?" : reader.GetString(1);
            var match = RangeBound().Match(bound);
            partitions.Add(new PartitionInfo(
                reader.GetString(0),
                bound == "DEFAULT" ? "DEFAULT" : bound,
                match.Success ? ParseTimestamp(match.Groups[1].Value) : null,
                match.Success ? ParseTimestamp(match.Groups[2].Value) : null,
                reader.IsDBNull(2) ? 0 : reader.GetInt64(2),
                reader.GetInt64(3)));
        }

        return partitions
            .OrderBy(partition => partition.IsDefault)
            .ThenBy(partition => partition.From ?? DateTimeOffset.MaxValue)
            .ThenBy(partition => partition.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>A timestamptz literal as PostgreSQL prints it: 2024-01-01 00:00:00+00 (the checker's sessions run in UTC).</summary>
    private static DateTimeOffset? ParseTimestamp(string text)
    {
        var iso = ShortOffset().Replace(text.Replace(' ', 'T'), "$1:00");
        return DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : null;
    }

    [GeneratedRegex(@"([+-]\d\d)$")]
    private static partial Regex ShortOffset();

    [GeneratedRegex(@"FROM \('([^']+)'\) TO \('([^']+)'\)")]
    private static partial Regex RangeBound();
}
