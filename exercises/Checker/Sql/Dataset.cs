using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Lab.Checker.Infrastructure;
using Npgsql;

namespace Lab.Checker.Sql;

/// <summary>
/// A generated dataset in a schema of labdb: built from an embedded SQL file with fixed seeds, so every run and
/// every machine gets the same rows. Kept between runs; rebuilt only when missing or when the generator changed.
/// </summary>
public sealed record Dataset(string Schema, string Description, string Generator, IReadOnlyDictionary<string, object> Parameters)
{
    private const int LockNamespace = 7271;

    /// <summary>
    /// True when learners' files run on this schema itself (exercises 01 and 02): then a verify also counts the rows,
    /// so that data a file deleted or changed is generated again rather than judged.
    /// </summary>
    public bool LearnerRunsHere { get; init; }

    /// <summary>The generator SQL with its parameters filled in.</summary>
    public string Sql => SqlResources.Read(Generator, Parameters);

    /// <summary>Changes whenever the generator file or a parameter changes, which makes the cached copy stale.</summary>
    public string Fingerprint => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)))[..16].ToLowerInvariant();

    /// <summary>Builds the dataset unless an identical one is there; true when it had to be built.</summary>
    public async Task<bool> EnsureAsync(LabInfrastructure infrastructure, Action<string> status, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(infrastructure.LabDbConnectionString("lab-dataset"));
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({LockNamespace}, hashtext('{Schema}'))", cancellationToken);
        try
        {
            var current = await IsCurrentAsync(connection, cancellationToken);
            var damage = current ? await DamageAsync(connection, cancellationToken) : null;
            if (current && damage is null)
            {
                return false;
            }

            status(damage is null
                ? $"Generating {Description} (schema {Schema}; once, about 10 to 30 s)..."
                : $"Generating {Description} again (schema {Schema}): {damage}...");
            var stopwatch = Stopwatch.StartNew();
            await ExecuteAsync(connection, $"DROP SCHEMA IF EXISTS {Schema} CASCADE; CREATE SCHEMA {Schema}; SET search_path = {Schema}", cancellationToken);
            foreach (var statement in SqlScript.Split(Sql))
            {
                await ExecuteAsync(connection, statement.Text, cancellationToken);
            }

            // The tables as generated: a verify checks they are still these (same oid, and for files that run here the same rows).
            await ExecuteAsync(
                connection,
                $"CREATE TABLE {Schema}._dataset_tables AS SELECT c.relname::text AS relname, c.oid::bigint AS oid, 0::bigint AS rows " +
                $"FROM pg_class AS c WHERE c.relnamespace = '{Schema}'::regnamespace AND c.relkind IN ('r', 'p') AND c.relname NOT LIKE '\\_%'",
                cancellationToken);
            await ExecuteAsync(
                connection,
                $"DO $count$ DECLARE t record; n bigint; BEGIN FOR t IN SELECT relname FROM {Schema}._dataset_tables LOOP " +
                $"EXECUTE format('SELECT count(*) FROM {Schema}.%I', t.relname) INTO n; UPDATE {Schema}._dataset_tables SET rows = n WHERE relname = t.relname; END LOOP; END $count$",
                cancellationToken);
            await ExecuteAsync(
                connection,
                $"CREATE TABLE {Schema}._dataset (fingerprint text NOT NULL, generated_at timestamptz NOT NULL DEFAULT now(), seconds double precision NOT NULL);" +
                $"INSERT INTO {Schema}._dataset (fingerprint, seconds) VALUES ('{Fingerprint}', {stopwatch.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)})",
                cancellationToken);
            status($"  {Schema} ready in {stopwatch.Elapsed.TotalSeconds:0.0} s.");
            return true;
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({LockNamespace}, hashtext('{Schema}'))", CancellationToken.None);
        }
    }

    private async Task<bool> IsCurrentAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT to_regclass(@marker) IS NOT NULL", connection);
        command.Parameters.AddWithValue("marker", $"{Schema}._dataset");
        if (await command.ExecuteScalarAsync(cancellationToken) is not true)
        {
            return false;
        }

        await using var read = new NpgsqlCommand($"SELECT fingerprint FROM {Schema}._dataset LIMIT 1", connection);
        return await read.ExecuteScalarAsync(cancellationToken) as string == Fingerprint;
    }

    /// <summary>
    /// The generated tables that are gone or replaced (another oid), or, for <see cref="LearnerRunsHere"/>, hold other
    /// rows than generated; empty when all are as generated.
    /// </summary>
    public async Task<IReadOnlyList<string>> ReplacedTablesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT t.relname FROM {Schema}._dataset_tables AS t " +
            "WHERE NOT EXISTS (SELECT 1 FROM pg_class AS c WHERE c.oid = t.oid AND c.relname = t.relname AND c.relnamespace = @schema::regnamespace) ORDER BY 1",
            connection);
        command.Parameters.AddWithValue("schema", Schema);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var replaced = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            replaced.Add(reader.GetString(0));
        }

        return replaced;
    }

    /// <summary>Marks the dataset stale, so the next verify generates it again (after a file damaged it).</summary>
    public async Task ForgetAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        await ExecuteAsync(connection, $"DROP TABLE IF EXISTS {Schema}._dataset", cancellationToken);

    /// <summary>What an earlier run did to the generated tables, in a few words; null when nothing.</summary>
    private async Task<string?> DamageAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using (var exists = new NpgsqlCommand("SELECT to_regclass(@marker) IS NOT NULL", connection))
        {
            exists.Parameters.AddWithValue("marker", $"{Schema}._dataset_tables");
            if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return "the copy there was made by an older version of the checker";
            }
        }

        var replaced = await ReplacedTablesAsync(connection, cancellationToken);
        if (replaced.Count > 0)
        {
            return $"an earlier run dropped or replaced {string.Join(", ", replaced)}";
        }

        if (!LearnerRunsHere)
        {
            return null;
        }

        await using var count = new NpgsqlCommand(
            $"SELECT string_agg(relname, ', ') FROM (SELECT t.relname, t.rows, (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM {Schema}.%I', t.relname), false, true, '')))[1]::text::bigint AS now FROM {Schema}._dataset_tables AS t) AS c WHERE c.rows <> c.now",
            connection) { CommandTimeout = 0 };
        return await count.ExecuteScalarAsync(cancellationToken) is string changed ? $"an earlier run deleted or added rows of {changed}" : null;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
