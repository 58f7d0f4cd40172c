using Npgsql;

namespace Lab.Checker.Sql;

/// <summary>Removes what a learner's file added to an exercise schema, so the next run starts where the exercise starts.</summary>
public static class SchemaReset
{
    public static async Task<bool> ExistsAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT to_regnamespace(@schema) IS NOT NULL", connection);
        command.Parameters.AddWithValue("schema", schema);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>
    /// Drops every index of <paramref name="table"/> but its primary key (constraint-backed ones through their
    /// constraint), every other table, view and materialized view in the schema, and extended statistics.
    /// </summary>
    public static async Task KeepOnlyAsync(
        NpgsqlConnection connection, string schema, IReadOnlyCollection<string> tables, CancellationToken cancellationToken)
    {
        const string sql = """
            DO $reset$
            DECLARE
                item record;
            BEGIN
                FOR item IN
                    SELECT con.conname, con.conrelid::regclass AS tbl
                    FROM pg_constraint AS con
                    JOIN pg_class AS t ON t.oid = con.conrelid
                    WHERE t.relnamespace = to_regnamespace(@schema)::oid AND con.contype IN ('u', 'x')
                LOOP
                    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', item.tbl, item.conname);
                END LOOP;
                FOR item IN
                    SELECT x.indexrelid::regclass AS idx
                    FROM pg_index AS x
                    JOIN pg_class AS t ON t.oid = x.indrelid
                    WHERE t.relnamespace = to_regnamespace(@schema)::oid AND NOT x.indisprimary
                      AND t.relname = ANY(@tables)
                LOOP
                    EXECUTE format('DROP INDEX %s', item.idx);
                END LOOP;
                FOR item IN
                    SELECT c.oid::regclass AS rel, c.relkind
                    FROM pg_class AS c
                    WHERE c.relnamespace = to_regnamespace(@schema)::oid
                      AND c.relkind IN ('r', 'p', 'v', 'm')
                      AND NOT c.relispartition
                      AND c.relname NOT LIKE '\_dataset%' AND NOT (c.relname = ANY(@tables))
                LOOP
                    EXECUTE format('DROP %s IF EXISTS %s CASCADE',
                        CASE item.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, item.rel);
                END LOOP;
                FOR item IN
                    SELECT p.oid::regprocedure AS fn, p.prokind FROM pg_proc AS p
                    WHERE p.pronamespace = to_regnamespace(@schema)::oid
                LOOP
                    EXECUTE format('DROP %s IF EXISTS %s CASCADE', CASE item.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END, item.fn);
                END LOOP;
                FOR item IN
                    SELECT s.oid::regclass::text AS stat FROM pg_statistic_ext AS s
                    WHERE s.stxnamespace = to_regnamespace(@schema)::oid
                LOOP
                    EXECUTE format('DROP STATISTICS %s', item.stat);
                END LOOP;
            END
            $reset$
            """;
        // DO blocks take no parameters: inline the two values as literals the checker owns.
        var tableList = string.Join(",", tables.Select(table => $"'{table}'"));
        var text = sql.Replace("@schema", $"'{schema}'", StringComparison.Ordinal)
            .Replace("@tables", $"ARRAY[{tableList}]::text[]", StringComparison.Ordinal);
        await using var command = new NpgsqlCommand(text, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
