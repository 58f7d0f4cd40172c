using Npgsql;

namespace Lab.Checker.Sql;

/// <summary>An index as the catalog describes it: what the checks need to explain why a plan did or did not use it.</summary>
public sealed record IndexInfo(
    string Name,
    string Method,
    string Definition,
    bool IsPrimary,
    IReadOnlyList<string> KeyColumns,
    IReadOnlyList<bool> Descending,
    IReadOnlyList<string> IncludedColumns,
    string? Predicate,
    long SizeBytes,
    long Entries)
{
    public string? LeadingColumn => KeyColumns.Count > 0 ? KeyColumns[0] : null;

    public string? SecondColumn => KeyColumns.Count > 1 ? KeyColumns[1] : null;

    public bool IsBtree => Method == "btree";

    /// <summary>The indexes of <paramref name="table"/> in <paramref name="schema"/>, the primary key first.</summary>
    public static async Task<IReadOnlyList<IndexInfo>> ListAsync(
        NpgsqlConnection connection, string schema, string table, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT c.relname,
                   am.amname,
                   pg_get_indexdef(x.indexrelid),
                   x.indisprimary,
                   ARRAY(SELECT pg_get_indexdef(x.indexrelid, k, true) FROM generate_series(1, x.indnkeyatts) AS k ORDER BY k),
                   ARRAY(SELECT (x.indoption[k - 1] & 1) = 1 FROM generate_series(1, x.indnkeyatts) AS k ORDER BY k),
                   ARRAY(SELECT pg_get_indexdef(x.indexrelid, k, true) FROM generate_series(x.indnkeyatts + 1, x.indnatts) AS k ORDER BY k),
                   pg_get_expr(x.indpred, x.indrelid, true),
                   pg_relation_size(x.indexrelid),
                   greatest(c.reltuples, 0)::bigint
            FROM pg_index AS x
            JOIN pg_class AS c ON c.oid = x.indexrelid
            JOIN pg_am AS am ON am.oid = c.relam
            WHERE x.indrelid = to_regclass(@table)
            ORDER BY x.indisprimary DESC, c.relname
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("table", $"{schema}.{table}");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var indexes = new List<IndexInfo>();
        while (await reader.ReadAsync(cancellationToken))
        {
            indexes.Add(new IndexInfo(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetBoolean(3),
                reader.GetFieldValue<string[]>(4),
                reader.GetFieldValue<bool[]>(5),
                reader.GetFieldValue<string[]>(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.GetInt64(8),
                reader.GetInt64(9)));
        }

        return indexes;
    }

    /// <summary>How the learner would write it: name (actor_id, occurred_at DESC) INCLUDE (...) WHERE ...</summary>
    public string Describe()
    {
        var columns = string.Join(", ", KeyColumns.Select((column, i) => Descending[i] ? $"{column} DESC" : column));
        var include = IncludedColumns.Count > 0 ? $" INCLUDE ({string.Join(", ", IncludedColumns)})" : string.Empty;
        var method = IsBtree ? string.Empty : $"USING {Method} ";
        var where = Predicate is null ? string.Empty : $" WHERE {Predicate}";
        return $"{Name} {method}({columns}){include}{where}";
    }

    /// <summary>Whether the index holds <paramref name="column"/>, as a key or an included column.</summary>
    public bool Contains(string column) => KeyColumns.Contains(column) || IncludedColumns.Contains(column);

}
