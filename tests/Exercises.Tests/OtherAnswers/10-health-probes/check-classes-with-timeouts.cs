using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Lab;

// Also right: one IHealthCheck class per dependency, registered with its failure status and a timeout; the health
// check service cancels a check's token at its timeout and reports the failure status. WaitAsync(token) makes the
// check give up at that moment, even when the client library is slow to.
public static class ServiceHealth
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMilliseconds(600);

    public static void AddChecks(IHealthChecksBuilder checks, ServiceDependencies dependencies)
    {
        checks.Add(new HealthCheckRegistration("process", new ProcessCheck(), HealthStatus.Unhealthy, ["live"]));
        checks.Add(new HealthCheckRegistration("database", new SchemaCheck(dependencies), HealthStatus.Unhealthy, ["ready"], s_timeout));
        checks.Add(new HealthCheckRegistration("kafka", new KafkaCheck(dependencies), HealthStatus.Degraded, ["ready"], s_timeout));
        checks.Add(new HealthCheckRegistration("redis", new RedisCheck(dependencies), HealthStatus.Degraded, ["ready"], s_timeout));
    }

    private sealed class ProcessCheck : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(HealthCheckResult.Healthy());
    }

    private sealed class SchemaCheck(ServiceDependencies dependencies) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            await using var query = dependencies.Database.CreateCommand("SELECT max(version) FROM schema_migrations");
            var version = await query.ExecuteScalarAsync(cancellationToken).WaitAsync(cancellationToken) as int? ?? 0;
            return version >= dependencies.RequiredSchemaVersion
                ? HealthCheckResult.Healthy()
                : new HealthCheckResult(context.Registration.FailureStatus, $"Schema {version}, needs {dependencies.RequiredSchemaVersion}.");
        }
    }

    private sealed class KafkaCheck(ServiceDependencies dependencies) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            await Task.Run(() => dependencies.Kafka.GetMetadata(s_timeout), cancellationToken).WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
    }

    private sealed class RedisCheck(ServiceDependencies dependencies) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            await dependencies.Cache.GetDatabase().PingAsync().WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
    }
}
