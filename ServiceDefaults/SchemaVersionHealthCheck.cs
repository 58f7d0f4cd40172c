using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace ServiceDefaults;

/// <summary>
/// Readiness: is the database at the schema version this code needs? Reads the Migrator's <c>schema_migrations</c> and
/// answers Unhealthy (so /health/ready is 503) while the required migration is missing, naming it. The service keeps
/// running and turns ready as soon as the Migrator has run: services never migrate themselves.
/// </summary>
internal sealed class SchemaVersionHealthCheck(string database, string requiredMigration, int requiredVersion, NpgsqlDataSource dataSource)
    : IHealthCheck
{
    private const string TableExistsSql = "SELECT to_regclass('public.schema_migrations') IS NOT NULL";

    private const string VersionsSql = """
        SELECT (SELECT name FROM public.schema_migrations ORDER BY version DESC LIMIT 1) AS current,
               (SELECT name FROM public.schema_migrations WHERE version = $1) AS required
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
            var current = reader.IsDBNull(0) ? null : reader.GetString(0);
            var appliedAsRequired = reader.IsDBNull(1) ? null : reader.GetString(1);
            return Evaluate(current, appliedAsRequired);
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

    private Dictionary<string, object> Data(string? current) => new(StringComparer.Ordinal)
    {
        ["database"] = database,
        ["current"] = current ?? "none",
        ["required"] = requiredMigration,
    };
}
