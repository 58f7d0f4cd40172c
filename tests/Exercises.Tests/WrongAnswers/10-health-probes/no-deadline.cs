using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Lab;

// Wrong: the right checks with the right statuses, but none has a deadline: a server that hangs holds the probe.
public static class ServiceHealth
{
    public static void AddChecks(IHealthChecksBuilder checks, ServiceDependencies dependencies)
    {
        checks.AddCheck("self", () => HealthCheckResult.Healthy("The process runs."), tags: ["live"]);

        checks.AddAsyncCheck("database", async cancellationToken =>
        {
            try
            {
                await using var query = dependencies.Database.CreateCommand("SELECT coalesce(max(version), 0) FROM schema_migrations");
                var version = (int)(await query.ExecuteScalarAsync(cancellationToken))!;
                return version >= dependencies.RequiredSchemaVersion ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("A migration is missing.");
            }
            catch (Exception ex)
            {
                return HealthCheckResult.Unhealthy("PostgreSQL failed.", ex);
            }
        });

        checks.AddAsyncCheck("kafka", async cancellationToken =>
        {
            try
            {
                await Task.Run(() => dependencies.Kafka.GetMetadata(TimeSpan.FromSeconds(10)), cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex)
            {
                return HealthCheckResult.Degraded("Kafka failed.", ex);
            }
        });

        checks.AddAsyncCheck("redis", async cancellationToken =>
        {
            try
            {
                await dependencies.Cache.GetDatabase().PingAsync();
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex)
            {
                return HealthCheckResult.Degraded("Redis failed.", ex);
            }
        });
    }
}
