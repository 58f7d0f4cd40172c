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

    /// <summary>Per key column: NULLS FIRST (PostgreSQL's default for DESC, not for ASC).</summary>
    public IReadOnlyList<bool> NullsFirst { get; init; } = [];

    /// <summary>Whether key column <paramref name="index"/> is a plain column rather than an expression such as (actor_id + 0).</summary>
    public bool IsPlainColumn(int index) =>
        index < KeyColumns.Count && KeyColumns[index].All(c => char.IsLetterOrDigit(c) || c == '_');

    /// <summary>
    /// Whether key column <paramref name="index"/> can hand rows over in the order ORDER BY column <paramref name="descending"/>
    /// asks for (with that direction's default NULLS placement), read forward or backward.
    /// </summary>
    public bool ServesOrder(int index, bool descending)
    {
        if (index >= KeyColumns.Count)
        {
            return false;
        }

        // The query's order: DESC means NULLS FIRST, ASC means NULLS LAST. A backward scan flips both.
        var nullsFirst = index < NullsFirst.Count ? NullsFirst[index] : Descending[index];
        var forward = Descending[index] == descending && nullsFirst == descending;
        var backward = Descending[index] != descending && nullsFirst != descending;
        return forward || backward;
    }

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
                   ARRAY(SELECT (x.indoption[k - 1] & 2) = 2 FROM generate_series(1, x.indnkeyatts) AS k ORDER BY k),
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
                reader.GetFieldValue<string[]>(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.GetInt64(9),
                reader.GetInt64(10))
            {
                NullsFirst = reader.GetFieldValue<bool[]>(6),
            });
        }

        return indexes;
    }

    /// <summary>How the learner would write it: name (actor_id, occurred_at DESC) INCLUDE (...) WHERE ...</summary>
    public string Describe()
    {
        var columns = string.Join(", ", KeyColumns.Select((column, i) => column + Direction(i)));
        var include = IncludedColumns.Count > 0 ? $" INCLUDE ({string.Join(", ", IncludedColumns)})" : string.Empty;
        var method = IsBtree ? string.Empty : $"USING {Method} ";
        var where = Predicate is null ? string.Empty : $" WHERE {Predicate}";
        return $"{Name} {method}({columns}){include}{where}";
    }

    /// <summary>How many rows of <paramref name="table"/> a partial index leaves out (its WHERE is not true for them); 0 for a full index.</summary>
    public async Task<long> RowsLeftOutAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken)
    {
        if (Predicate is null)
        {
            return 0;
        }

        // The predicate is the catalog's own rendering of what the learner's index already evaluates on this table.
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table} WHERE ({Predicate}) IS NOT TRUE", connection) { CommandTimeout = 0 };
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>How many rows of <paramref name="table"/> the index holds, counted exactly (the catalog's figure is an estimate).</summary>
    public async Task<long> RowsHeldAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table} WHERE {Predicate ?? "true"}", connection) { CommandTimeout = 0 };
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>" DESC", " DESC NULLS LAST", " NULLS FIRST" or nothing, as CREATE INDEX would say it.</summary>
    public string Direction(int index)
    {
        var descending = Descending[index];
        var nullsFirst = index < NullsFirst.Count ? NullsFirst[index] : descending;
        return (descending, nullsFirst) switch
        {
            (true, true) => " DESC",
            (true, false) => " DESC NULLS LAST",
            (false, true) => " NULLS FIRST",
            _ => string.Empty,
        };
    }

    /// <summary>Whether the index holds <paramref name="column"/>, as a key or an included column.</summary>
    public bool Contains(string column) => KeyColumns.Contains(column) || IncludedColumns.Contains(column);

}
