using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace ServiceDefaults;

/// <summary>
/// Readiness: is the database at the schema version this code needs? Reads <c>public.schema_migrations</c>, the table in
/// which the Migrator's Evolve records each file it applied, and answers Unhealthy (so /health/ready is 503) while the
/// required migration is missing, naming it. The service keeps running and turns ready as soon as the Migrator has run:
/// services never migrate themselves.
/// </summary>
internal sealed class SchemaVersionHealthCheck(string database, string requiredMigration, int requiredVersion, NpgsqlDataSource dataSource)
    : IHealthCheck
{
    private const string TableExistsSql = "SELECT to_regclass('public.schema_migrations') IS NOT NULL";

    // Evolve's rows: type 0 is a versioned migration (others mark schemas), success is false for a file that failed and
    // was rolled back, version is the file's number as text ("0006"), name the file ("V0006_users_bio.sql").
    private const string VersionsSql = """
        SELECT (SELECT name FROM public.schema_migrations
                WHERE type = 0 AND success
                ORDER BY string_to_array(version, '.')::bigint[] DESC LIMIT 1) AS current,
               (SELECT name FROM public.schema_migrations
                WHERE type = 0 AND success AND string_to_array(version, '.')::bigint[] = ARRAY[$1::bigint] LIMIT 1) AS required
        """;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using (var exists = new NpgsqlCommand(TableExistsSql, connection))
            {
                if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
                {
                    return HealthCheckResult.Unhealthy(
                        $"{database} has no schema_migrations table (no migration has run); this code needs {requiredMigration}: run the Migrator.",
                        data: Data(current: null));
                }
            }

            await using var versions = new NpgsqlCommand(VersionsSql, connection);
            versions.Parameters.Add(new NpgsqlParameter<int> { TypedValue = requiredVersion });
            await using var reader = await versions.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var current = reader.IsDBNull(0) ? null : MigrationName(reader.GetString(0));
            var appliedAsRequired = reader.IsDBNull(1) ? null : MigrationName(reader.GetString(1));
            return Evaluate(current, appliedAsRequired);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedColumn)
        {
            // Not Evolve's columns: the table the Migrator kept before it used Evolve.
            return HealthCheckResult.Unhealthy(
                $"{database} has the schema_migrations table of the Migrator before Evolve; this code needs {requiredMigration}: " +
                "run the Migrator, which says what to do.",
                ex,
                Data(current: null));
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"{database} is unreachable: {ex.Message}", ex, Data(current: null));
        }
    }

    private HealthCheckResult Evaluate(string? current, string? appliedAsRequired)
    {
        var at = current ?? "no migration";
        if (appliedAsRequired is null)
        {
            return HealthCheckResult.Unhealthy(
                $"{database} is at {at}; this code needs {requiredMigration}: run the Migrator.",
                data: Data(current));
        }

        if (!string.Equals(appliedAsRequired, requiredMigration, StringComparison.Ordinal))
        {
            return HealthCheckResult.Unhealthy(
                $"{database} applied version {requiredVersion:D4} as {appliedAsRequired}, but this code needs {requiredMigration}: " +
                "two migrations share a version; renumber one and run the Migrator.",
                data: Data(current));
        }

        return HealthCheckResult.Healthy($"{database} is at {at}; this code needs {requiredMigration}.", Data(current));
    }

    /// <summary>Evolve's file name "V0006_users_bio.sql" as the project names the migration: "0006_users_bio".</summary>
    private static string MigrationName(string fileName)
    {
        var stem = fileName.EndsWith(".sql", StringComparison.Ordinal) ? fileName[..^".sql".Length] : fileName;
        return stem.StartsWith('V') ? stem[1..] : stem;
    }

    private Dictionary<string, object> Data(string? current) => new(StringComparer.Ordinal)
    {
        ["database"] = database,
        ["current"] = current ?? "none",
        ["required"] = requiredMigration,
    };
}
