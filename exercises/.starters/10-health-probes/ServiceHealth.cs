using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Lab;

/// <summary>
/// Exercise 10: the health checks of the orders service. The README tells the story; then run ./lab verify 10.
/// </summary>
/// <remarks>
/// The checker maps them as ServiceDefaults does: /health/live runs the checks tagged "live", /health/ready runs every
/// check; Healthy and Degraded answer 200, Unhealthy 503. What the service depends on (defined by the checker):
///   dependencies.Database               NpgsqlDataSource: its own database (search_path has schema_migrations)
///   dependencies.Kafka                  IAdminClient: the Kafka cluster every service shares
///   dependencies.Cache                  IConnectionMultiplexer: Redis, an optional cache
///   dependencies.RequiredSchemaVersion  the newest migration this build needs
/// </remarks>
public static class ServiceHealth
{
    public static void AddChecks(IHealthChecksBuilder checks, ServiceDependencies dependencies)
    {
        // One check for everything, on both probes: if anything the service uses fails, the service is not healthy.
        checks.AddAsyncCheck("dependencies", async cancellationToken =>
        {
            await using var query = dependencies.Database.CreateCommand("SELECT 1");
            await query.ExecuteScalarAsync(cancellationToken);
            dependencies.Kafka.GetMetadata(TimeSpan.FromSeconds(5));
            await dependencies.Cache.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy();
        }, tags: ["live"]);
    }
}
