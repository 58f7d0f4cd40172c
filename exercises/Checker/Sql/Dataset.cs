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
            if (await IsCurrentAsync(connection, cancellationToken))
            {
                return false;
            }

            status($"Generating {Description} (schema {Schema}; first run only, a few seconds)...");
            var stopwatch = Stopwatch.StartNew();
            await ExecuteAsync(connection, $"DROP SCHEMA IF EXISTS {Schema} CASCADE; CREATE SCHEMA {Schema}; SET search_path = {Schema}", cancellationToken);
            foreach (var statement in SqlScript.Split(Sql))
            {
                await ExecuteAsync(connection, statement.Text, cancellationToken);
            }

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

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
