using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Aspire.Hosting;

/// <summary>Ready when the native server answers a query on its "postgres" database.</summary>
internal sealed class PostgresReadinessCheck(NativePostgresServerResource server) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var connectionString = await server.ConnectionStringExpression.GetValueAsync(cancellationToken);
        try
        {
            await using var connection = new NpgsqlConnection($"{connectionString};Database=postgres;Timeout=3;Pooling=false");
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT version()", connection);
            return HealthCheckResult.Healthy((string?)await command.ExecuteScalarAsync(cancellationToken));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidPassword)
        {
            return HealthCheckResult.Unhealthy(
                $"{server.DataDirectory} was created with another password than Parameters:postgres-password: " +
                "stop the AppHost and delete that directory to start afresh, or set the old password.", ex);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"PostgreSQL does not answer yet: {ex.Message}", ex);
        }
    }
}
