using Npgsql;
using NpgsqlTypes;
using Snapshot.Job.Database;

namespace Snapshot.Job.Masking;

/// <summary>The UPDATE that applies one step's masks to one table (mask_table.sql), with its parameters.</summary>
internal sealed class MaskingStatement
{
    private readonly List<object> _values;

    private MaskingStatement(string sql, List<object> values)
    {
        Sql = sql;
        _values = values;
    }

    public string Sql { get; }

    /// <summary>
    /// Builds the statement for <paramref name="columns"/> of <paramref name="table"/>; each value is cast back to its
    /// column's type (<paramref name="types"/>: column name to format_type), so varchar, domains and inet work alike.
    /// </summary>
    public static MaskingStatement For(TableName table, IEnumerable<ColumnRule> columns, IReadOnlyDictionary<string, string> types, RunKey key)
    {
        List<object> values = [key.InnerPad, key.OuterPad];
        var assignments = new List<string>();
        foreach (var rule in columns)
        {
            var column = Identifier.Quote(rule.Column);
            var type = types[rule.Column];
            var expression = rule.Mask.Kind switch
            {
                MaskKind.Null => "NULL",
                MaskKind.PseudonymizeEmail => $"snapshot_job.pseudonymize_email({column}::text, $1, $2)",
                MaskKind.Pseudonym => $"snapshot_job.pseudonym({column}::text, $1, $2, {Parameter(values, rule.Prefix)}, {rule.Length})",
                MaskKind.FakeName => $"snapshot_job.fake_name({column}::text, $1, $2)",
                MaskKind.ReplaceText => $"snapshot_job.replace_text({column}::text)",
                MaskKind.PseudonymizeIp => $"snapshot_job.pseudonymize_ip({column}::text, $1, $2)",
                MaskKind.RandomBytes => $"snapshot_job.random_bytes({column}::bytea, $1, $2)",
                MaskKind.RandomToken => $"snapshot_job.random_token({column}::text, $1, $2, {Parameter(values, rule.Prefix)}, {rule.Length})",
                _ => throw new InvalidOperationException($"{table}.{rule.Column}: {rule.Mask.Name} does not change values."),
            };
            assignments.Add(rule.Mask.Kind == MaskKind.Null ? $"{column} = NULL" : $"{column} = CAST({expression} AS {type})");
        }

        var sql = SqlText.Load("Masking/mask_table.sql")
            .Replace("{table}", table.Quoted, StringComparison.Ordinal)
            .Replace("{assignments}", string.Join(", ", assignments), StringComparison.Ordinal);
        return new MaskingStatement(sql, values);
    }

    public NpgsqlCommand CreateCommand(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        // No timeout: a large table legitimately takes long; cancellation still stops it.
        var command = new NpgsqlCommand(Sql, connection, transaction) { CommandTimeout = 0 };
        foreach (var value in _values)
        {
            command.Parameters.Add(value is byte[] bytes
                ? new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea, Value = bytes }
                : new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = value });
        }

        return command;
    }

    private static string Parameter(List<object> values, string value)
    {
        values.Add(value);
        return $"${values.Count}";
    }
}
