using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Lab;

// Also right: a loop polls the dependencies in the background, each poll with its own deadline, and the checks only
// read what it found last. A probe then never waits for anything; readiness follows a change within a poll or two.
public static class ServiceHealth
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan s_deadline = TimeSpan.FromMilliseconds(700);
    private static volatile Snapshot s_last = new(
        HealthCheckResult.Unhealthy("Not checked yet."), HealthCheckResult.Degraded("Not checked yet."), HealthCheckResult.Degraded("Not checked yet."));

    public static void AddChecks(IHealthChecksBuilder checks, ServiceDependencies dependencies)
    {
        _ = Task.Run(() => PollAsync(dependencies));
        checks.AddCheck("self", () => HealthCheckResult.Healthy(), tags: ["live"]);
        checks.AddCheck("database", () => s_last.Database);
        checks.AddCheck("kafka", () => s_last.Kafka);
        checks.AddCheck("redis", () => s_last.Redis);
    }

    private static async Task PollAsync(ServiceDependencies dependencies)
    {
        while (true)
        {
            var database = Poll(HealthStatus.Unhealthy, async () =>
            {
                await using var query = dependencies.Database.CreateCommand("SELECT max(version) FROM schema_migrations");
                var version = await query.ExecuteScalarAsync() as int? ?? 0;
                return version >= dependencies.RequiredSchemaVersion ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("Migration missing.");
            });
            var kafka = Poll(HealthStatus.Degraded, async () =>
            {
                await Task.Run(() => dependencies.Kafka.GetMetadata(s_deadline));
                return HealthCheckResult.Healthy();
            });
            var redis = Poll(HealthStatus.Degraded, async () =>
            {
                await dependencies.Cache.GetDatabase().PingAsync();
                return HealthCheckResult.Healthy();
            });
            s_last = new Snapshot(await database, await kafka, await redis);
            await Task.Delay(s_interval);
        }
    }

    private sealed record Snapshot(HealthCheckResult Database, HealthCheckResult Kafka, HealthCheckResult Redis);

    private static async Task<HealthCheckResult> Poll(HealthStatus failure, Func<Task<HealthCheckResult>> check)
    {
        try
        {
            return await check().WaitAsync(s_deadline);
        }
        catch (Exception ex)
        {
            return new HealthCheckResult(failure, "Did not answer in time, or failed.", ex);
        }
    }
}
