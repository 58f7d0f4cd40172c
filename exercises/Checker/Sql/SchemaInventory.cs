using Npgsql;

namespace Lab.Checker.Sql;

/// <summary>A relation as the catalog has it: its name and kind in words (table, view, partitioned table, ...).</summary>
public sealed record RelationInfo(string Schema, string Name, char Kind, long Rows)
{
    public string KindName => Kind switch
    {
        'r' => "table",
        'p' => "partitioned table",
        'v' => "view",
        'm' => "materialized view",
        'f' => "foreign table",
        'S' => "sequence",
        'i' or 'I' => "index",
        'c' => "composite type",
        _ => $"relation of kind '{Kind}'",
    };

    /// <summary>"a view", "an index": for sentences.</summary>
    public string KindWithArticle => KindName[0] is 'a' or 'e' or 'i' or 'o' or 'u' ? $"an {KindName}" : $"a {KindName}";
}

/// <summary>
/// What is in an exercise's schemas, for verdicts that must say what a learner's file left behind (a view where a
/// table was, a table that is gone) instead of failing on it.
/// </summary>
public static class SchemaInventory
{
    /// <summary>The relation <paramref name="name"/> in <paramref name="schema"/>, or null when there is none.</summary>
    public static async Task<RelationInfo?> FindAsync(NpgsqlConnection connection, string schema, string name, CancellationToken cancellationToken)
    {
        var found = await ListAsync(connection, $"n.nspname = @schema AND c.relname = @name", cancellationToken, ("schema", schema), ("name", name));
        return found.Count > 0 ? found[0] : null;
    }

    /// <summary>Tables, views and sequences in the schemas whose names match <paramref name="schemaPattern"/> (a regular expression).</summary>
    public static Task<IReadOnlyList<RelationInfo>> ListMatchingAsync(NpgsqlConnection connection, string schemaPattern, CancellationToken cancellationToken) =>
        ListAsync(connection, "n.nspname ~ @pattern AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition", cancellationToken, ("pattern", schemaPattern));

    /// <summary>Functions and procedures in the schemas matching <paramref name="schemaPattern"/>, as name(arguments).</summary>
    public static async Task<IReadOnlyList<string>> FunctionsAsync(NpgsqlConnection connection, string schemaPattern, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'
            FROM pg_proc AS p JOIN pg_namespace AS n ON n.oid = p.pronamespace
            WHERE n.nspname ~ @pattern
            ORDER BY 1
            """,
            connection);
        command.Parameters.AddWithValue("pattern", schemaPattern);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var functions = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            functions.Add(reader.GetString(0));
        }

        return functions;
    }

    /// <summary>One line per relation: "lab03.audit_events: view (~0 rows)"; at most <paramref name="limit"/> lines.</summary>
    public static async Task<IReadOnlyList<string>> DescribeAsync(NpgsqlConnection connection, string schemaPattern, int limit, CancellationToken cancellationToken)
    {
        var relations = await ListMatchingAsync(connection, schemaPattern, cancellationToken);
        var lines = relations
            .Where(relation => !relation.Name.StartsWith('_'))
            .Select(relation => relation.Kind is 'r' or 'p' or 'm'
                ? $"{relation.Schema}.{relation.Name}: {relation.KindName} (about {PlanText.Count(relation.Rows)} rows)"
                : $"{relation.Schema}.{relation.Name}: {relation.KindName}")
            .ToList();
        var functions = await FunctionsAsync(connection, schemaPattern, cancellationToken);
        lines.AddRange(functions.Select(function => $"{function}: function"));
        return lines.Count > limit ? [.. lines.Take(limit), $"... and {lines.Count - limit} more"] : lines;
    }

    private static async Task<IReadOnlyList<RelationInfo>> ListAsync(
        NpgsqlConnection connection, string condition, CancellationToken cancellationToken, params (string Name, string Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(
            $"""
            SELECT n.nspname, c.relname, c.relkind,
                   CASE WHEN c.relkind = 'p'
                        THEN (SELECT coalesce(sum(greatest(k.reltuples, 0)), 0) FROM pg_partition_tree(c.oid) AS t JOIN pg_class AS k ON k.oid = t.relid WHERE t.isleaf)
                        ELSE greatest(c.reltuples, 0) END::bigint
            FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
            WHERE {condition}
            ORDER BY n.nspname, c.relname
            """,
            connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var relations = new List<RelationInfo>();
        while (await reader.ReadAsync(cancellationToken))
        {
            relations.Add(new RelationInfo(reader.GetString(0), reader.GetString(1), reader.GetChar(2), reader.GetInt64(3)));
        }

        return relations;
    }
}
