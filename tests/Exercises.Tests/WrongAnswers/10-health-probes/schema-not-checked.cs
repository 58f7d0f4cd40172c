using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Lab;

// Wrong: the database answers, so the service is ready; whether its migrations ran is the deployment's business.
public static class ServiceHealth
{
    // Every check answers within this, whatever its dependency does: probes have a deadline of about a second.
    private static readonly TimeSpan s_budget = TimeSpan.FromMilliseconds(500);

    public static void AddChecks(IHealthChecksBuilder checks, ServiceDependencies dependencies)
    {
        // Liveness: "should this process be restarted?" Nothing outside it is any of its business.
        checks.AddCheck("self", () => HealthCheckResult.Healthy("The process runs."), tags: ["live"]);

        // Readiness, private: without its own database, or with a schema older than its code, the instance cannot serve.
        checks.AddAsyncCheck("database", cancellationToken => WithinBudgetAsync(HealthStatus.Unhealthy, "PostgreSQL", async token =>
        {
            await using var query = dependencies.Database.CreateCommand("SELECT 1");
            await query.ExecuteScalarAsync(token);
            return HealthCheckResult.Healthy("PostgreSQL answers.");
        }, cancellationToken));

        // Readiness, shared: every instance uses the same Kafka; its hiccup must not take them all out of rotation.
        checks.AddAsyncCheck("kafka", cancellationToken => WithinBudgetAsync(HealthStatus.Degraded, "Kafka", async token =>
        {
            // librdkafka's metadata call blocks its thread: run it on another one.
            var metadata = await Task.Run(() => dependencies.Kafka.GetMetadata(s_budget), token);
            return metadata.Brokers.Count > 0
                ? HealthCheckResult.Healthy($"{metadata.Brokers.Count} broker(s) answer.")
                : HealthCheckResult.Degraded("Kafka reports no broker: events wait.");
        }, cancellationToken));

        // Readiness, optional: without the cache the service is slower, not broken.
        checks.AddAsyncCheck("redis", cancellationToken => WithinBudgetAsync(HealthStatus.Degraded, "Redis", async token =>
        {
            await dependencies.Cache.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy("Redis answers.");
        }, cancellationToken));
    }

    /// <summary>The check's answer, or <paramref name="failure"/> if it throws or takes longer than the budget.</summary>
    private static async Task<HealthCheckResult> WithinBudgetAsync(
        HealthStatus failure, string dependency, Func<CancellationToken, Task<HealthCheckResult>> check, CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(s_budget);
        try
        {
            // WaitAsync returns at the deadline even if the client library does not give up when its token is cancelled.
            return await check(budget.Token).WaitAsync(s_budget, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(failure, $"{dependency} did not answer within {s_budget.TotalMilliseconds:0} ms.");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(failure, $"{dependency} failed: {ex.Message}", ex);
        }
    }
}
