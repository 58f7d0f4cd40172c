using System.Security.Cryptography;
using Lab.Checker.Infrastructure;
using Lab.Checker.Sql;
using Npgsql;
using NpgsqlTypes;

namespace Lab.Checker.Checks.ResumableJob;

/// <summary>How the rows of one table stand against the source: masked exactly once, unmasked, changed otherwise.</summary>
public sealed record TableCounts(string Table, long MaskedOnce, long Unmasked, long ChangedOtherwise, long Missing, long Added)
{
    public long Changed => MaskedOnce + ChangedOtherwise;
}

/// <summary>Real emails found where the snapshot would carry them: a table's column, or the schema's definitions.</summary>
public sealed record Leak(string Where, long Count, string Example);

/// <summary>One row whose email is not what it should be, for the evidence.</summary>
public sealed record RowSample(string Table, long Id, string Source, string Masked, string? Actual)
{
    public string Label => $"{(Table == "customers" ? "customer" : "order")} {Id}";
}

/// <summary>
/// The checker's side of exercise 07's work copy: rebuilds it with a fresh run key, computes what a correct step
/// leaves (each email masked once), and compares the step's result with it. One connection for the whole scenario,
/// because the expected rows live in its temporary tables.
/// </summary>
public sealed class WorkCopy : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly MaskingScenario _scenario;
    private readonly Dictionary<string, object> _names;

    private WorkCopy(NpgsqlConnection connection, MaskingScenario scenario)
    {
        _connection = connection;
        _scenario = scenario;
        _names = new Dictionary<string, object> { ["schema"] = scenario.Schema, ["source"] = scenario.Source.Schema };
        _names["work_rows"] = Sql("work_rows.sql");
    }

    public string Schema => _scenario.Schema;

    /// <summary>Rebuilds the work copy from the source under a new run key and computes the expected result.</summary>
    public static async Task<WorkCopy> CreateAsync(LabInfrastructure infrastructure, MaskingScenario scenario, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(infrastructure.LabDbConnectionString("lab-checker"));
        await connection.OpenAsync(cancellationToken);
        var copy = new WorkCopy(connection, scenario);
        await copy.RunScriptAsync("work_copy.sql", cancellationToken);
        await copy.InsertRunKeyAsync(cancellationToken);
        await copy.RunScriptAsync("expected.sql", cancellationToken);
        return copy;
    }

    /// <summary>Counts the emails masked from now on: each run of the step starts at 1.</summary>
    public Task RestartCallCountAsync(CancellationToken cancellationToken) =>
        ExecuteAsync($"ALTER SEQUENCE {Schema}.masking_calls RESTART", cancellationToken);

    /// <summary>How many emails the last run masked, counting those its rolled-back transactions masked.</summary>
    public async Task<long> CallsAsync(CancellationToken cancellationToken) =>
        (long)(await ScalarAsync($"SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {Schema}.masking_calls", cancellationToken))!;

    /// <summary>Null when a table is gone (the step dropped or renamed it): then the name of the first missing one.</summary>
    public async Task<string?> MissingTableAsync(CancellationToken cancellationToken)
    {
        foreach (var table in new[] { "customers", "orders" })
        {
            if (await ScalarAsync($"SELECT to_regclass('{Schema}.{table}') IS NULL", cancellationToken) is true)
            {
                return table;
            }
        }

        return null;
    }

    public async Task<IReadOnlyList<TableCounts>> CountAsync(CancellationToken cancellationToken)
    {
        await using var command = Command(Sql("row_counts.sql"));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new List<TableCounts>();
        while (await reader.ReadAsync(cancellationToken))
        {
            counts.Add(new TableCounts(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5)));
        }

        return counts;
    }

    public Task<IReadOnlyList<RowSample>> UnmaskedAsync(string table, int limit, CancellationToken cancellationToken) =>
        SampleAsync($"e.table_name = '{TableName(table)}' AND w.email = e.source", limit, cancellationToken);

    public Task<IReadOnlyList<RowSample>> ChangedOtherwiseAsync(string table, int limit, CancellationToken cancellationToken) =>
        SampleAsync($"e.table_name = '{TableName(table)}' AND w.email IS DISTINCT FROM e.masked AND w.email IS DISTINCT FROM e.source", limit, cancellationToken);

    /// <summary>Unmasked rows whose real email happens to look like a pseudonym.</summary>
    public Task<IReadOnlyList<RowSample>> UnmaskedLookalikesAsync(int limit, CancellationToken cancellationToken) =>
        SampleAsync(@"w.email = e.source AND e.source LIKE 'user\_%@snapshot.invalid'", limit, cancellationToken);

    /// <summary>How many times <paramref name="row"/>'s email was masked to become what it is (null: not by the mask).</summary>
    public async Task<int?> TimesMaskedAsync(RowSample row, CancellationToken cancellationToken)
    {
        if (row.Actual is null)
        {
            return null;
        }

        await using var command = Command(Sql("times_masked.sql"));
        command.Parameters.AddWithValue("source", row.Source);
        command.Parameters.AddWithValue("actual", row.Actual);
        return await command.ExecuteScalarAsync(cancellationToken) is int times ? times : null;
    }

    public async Task<long> BrokenJoinsAsync(CancellationToken cancellationToken) =>
        (long)(await ScalarAsync(Sql("broken_joins.sql"), cancellationToken))!;

    /// <summary>Rows in masking_progress (0 when the step dropped it).</summary>
    public async Task<long> ProgressRowsAsync(CancellationToken cancellationToken) =>
        await ScalarAsync($"SELECT to_regclass('{Schema}.masking_progress') IS NOT NULL", cancellationToken) is true
            ? (long)(await ScalarAsync($"SELECT count(*) FROM {Schema}.masking_progress", cancellationToken))!
            : 0;

    /// <summary>
    /// Where real emails are still in the work copy, anywhere: per table, then per column of a table that has any, and in
    /// the schema's definitions (comments, defaults, views, functions). Masked email columns hold pseudonyms, not
    /// these; an unmasked row counts here too.
    /// </summary>
    public async Task<IReadOnlyList<Leak>> LeaksAsync(CancellationToken cancellationToken)
    {
        var tables = new List<string>();
        await using (var list = Command($"SELECT c.relname FROM pg_class AS c WHERE c.relnamespace = '{Schema}'::regnamespace AND c.relkind IN ('r', 'm') AND c.relname <> 'run_key' ORDER BY 1"))
        await using (var reader = await list.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                tables.Add(reader.GetString(0));
            }
        }

        var leaks = new List<Leak>();
        foreach (var table in tables)
        {
            var columns = await ColumnsAsync(table, cancellationToken);
            var perColumn = string.Join("\nUNION ALL\n", columns.Select(column =>
                $"SELECT {Literal(column)}::text AS table_name, x.{Quote(column)}::text AS row_text FROM {Schema}.{Quote(table)} AS x WHERE x.{Quote(column)}::text LIKE '%@%'"));
            if (perColumn.Length == 0)
            {
                continue;
            }

            var values = new Dictionary<string, object>(_names) { ["rows"] = perColumn };
            await using var command = Command(SqlResources.Read("Checks/ResumableJob/leaks.sql", values));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                leaks.Add(new Leak($"{table}.{reader.GetString(0)}", reader.GetInt64(1), reader.GetString(2)));
            }
        }

        const string definitions = """
            SELECT 'a comment' AS what, d.description AS text FROM pg_description AS d JOIN pg_class AS c ON c.oid = d.objoid WHERE c.relnamespace = @schema::regnamespace
            UNION ALL SELECT 'a column default', pg_get_expr(ad.adbin, ad.adrelid) FROM pg_attrdef AS ad JOIN pg_class AS c ON c.oid = ad.adrelid WHERE c.relnamespace = @schema::regnamespace
            UNION ALL SELECT 'a view', pg_get_viewdef(c.oid) FROM pg_class AS c WHERE c.relnamespace = @schema::regnamespace AND c.relkind IN ('v', 'm')
            UNION ALL SELECT 'a function', p.prosrc FROM pg_proc AS p WHERE p.pronamespace = @schema::regnamespace
            """;
        await using (var command = Command($"""
            SELECT d.what, count(*), min(lower(m[1]))
            FROM ({definitions}) AS d, LATERAL regexp_matches(d.text, '([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]+)', 'g') AS m
            WHERE EXISTS (SELECT 1 FROM pg_temp.expected AS e WHERE lower(e.source) = lower(m[1]))
            GROUP BY d.what
            """))
        {
            command.Parameters.AddWithValue("schema", Schema);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                leaks.Add(new Leak($"{reader.GetString(0)} in schema {Schema}", reader.GetInt64(1), reader.GetString(2)));
            }
        }

        return leaks;
    }

    /// <summary>Per table, the unmasked rows as id ranges (first, last, count), for verdicts that say which rows were skipped.</summary>
    public async Task<IReadOnlyList<(string Table, long First, long Last, long Rows, long TableFirst)>> UnmaskedRangesAsync(CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, object>(_names);
        await using var command = Command($"""
            WITH work AS ({Sql("work_rows.sql")})
            SELECT e.table_name, min(e.id), max(e.id), count(*), (SELECT min(x.id) FROM pg_temp.expected AS x WHERE x.table_name = e.table_name)
            FROM pg_temp.expected AS e JOIN work AS w ON w.table_name = e.table_name AND w.id = e.id
            WHERE w.email = e.source
            GROUP BY e.table_name ORDER BY e.table_name
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ranges = new List<(string, long, long, long, long)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ranges.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)));
        }

        return ranges;
    }

    /// <summary>How many source rows have ids between two values (inclusive) in one table: a range without gaps is all of them.</summary>
    public async Task<long> SourceRowsBetweenAsync(string table, long first, long last, CancellationToken cancellationToken) =>
        (long)(await ScalarAsync($"SELECT count(*) FROM pg_temp.expected WHERE table_name = '{TableName(table)}' AND id BETWEEN {first} AND {last}", cancellationToken))!;

    /// <summary>Per table, the smallest id whose email is still the real one (null: all masked): where a run stopped.</summary>
    public async Task<Dictionary<string, long?>> FirstUnmaskedAsync(CancellationToken cancellationToken)
    {
        var first = new Dictionary<string, long?>(StringComparer.Ordinal) { ["customers"] = null, ["orders"] = null };
        foreach (var range in await UnmaskedRangesAsync(cancellationToken))
        {
            first[range.Table] = range.First;
        }

        return first;
    }

    /// <summary>What masking_progress holds, as "table_name: last_id" lines (empty when the table is gone or empty).</summary>
    public async Task<IReadOnlyList<string>> ProgressRecordAsync(CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        if (await ScalarAsync($"SELECT to_regclass('{Schema}.masking_progress') IS NOT NULL", cancellationToken) is not true)
        {
            return lines;
        }

        await using var command = Command($"SELECT t::text FROM {Schema}.masking_progress AS t ORDER BY 1 LIMIT 6");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            lines.Add(reader.GetString(0));
        }

        return lines;
    }

    /// <summary>The step's sessions as the server sees them now: state, what they wait for, and who blocks them.</summary>
    public async Task<IReadOnlyList<(int Pid, string State, string? WaitType, string? Wait, int[] BlockedBy, string Query)>> StepSessionsAsync(CancellationToken cancellationToken)
    {
        await using var command = Command(
            "SELECT pid, coalesce(state, ''), wait_event_type, wait_event, pg_blocking_pids(pid), left(coalesce(query, ''), 120) FROM pg_stat_activity WHERE application_name = @name ORDER BY pid");
        command.Parameters.AddWithValue("name", StepHost.ApplicationName);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var sessions = new List<(int, string, string?, string?, int[], string)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            sessions.Add((reader.GetInt32(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetFieldValue<int[]>(4), reader.GetString(5)));
        }

        return sessions;
    }

    /// <summary>Keeps the finished copy's emails, to tell afterwards what a run on finished data changed.</summary>
    public Task SnapshotFinishedAsync(CancellationToken cancellationToken) => RunScriptAsync("snapshot_finished.sql", cancellationToken);

    public async Task<long> ChangedSinceFinishedAsync(CancellationToken cancellationToken) =>
        (long)(await ScalarAsync(Sql("changed_since_finished.sql"), cancellationToken))!;

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();

    private async Task<IReadOnlyList<RowSample>> SampleAsync(string condition, int limit, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, object>(_names) { ["condition"] = condition, ["limit"] = limit };
        await using var command = Command(SqlResources.Read("Checks/ResumableJob/sample_rows.sql", values));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<RowSample>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new RowSample(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        return rows;
    }

    /// <summary>A random 32-byte key for this run, stored as the two HMAC pads (RFC 2104, 64-byte blocks).</summary>
    private async Task InsertRunKeyAsync(CancellationToken cancellationToken)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var inner = new byte[64];
        var outer = new byte[64];
        for (var i = 0; i < 64; i++)
        {
            var k = i < key.Length ? key[i] : (byte)0;
            inner[i] = (byte)(k ^ 0x36);
            outer[i] = (byte)(k ^ 0x5c);
        }

        await using var command = Command($"INSERT INTO {Schema}.run_key (inner_pad, outer_pad) VALUES ($1, $2)");
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea, Value = inner });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea, Value = outer });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task RunScriptAsync(string file, CancellationToken cancellationToken)
    {
        foreach (var statement in SqlScript.Split(Sql(file)))
        {
            await ExecuteAsync(statement.Text, cancellationToken);
        }
    }

    private async Task<List<string>> ColumnsAsync(string table, CancellationToken cancellationToken)
    {
        await using var command = Command($"SELECT attname FROM pg_attribute WHERE attrelid = '{Schema}.{Quote(table)}'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string TableName(string table) =>
        table is "customers" or "orders" ? table : throw new ArgumentException($"No table {table} in the work copy.", nameof(table));

    private string Sql(string file) => SqlResources.Read($"Checks/ResumableJob/{file}", _names);

    private NpgsqlCommand Command(string sql) => new(sql, _connection) { CommandTimeout = 0 };

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(sql);
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
