using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Audit.Service.Partitions;

/// <summary>Degraded while events wait in the default partition: nothing is lost, but a month's partition is missing.</summary>
internal sealed class DefaultPartitionHealthCheck(DefaultPartitionReader reader) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var report = await reader.ReadAsync(cancellationToken);
        var data = report.RowsPerMonth.ToDictionary(month => month.Key, month => (object)month.Value);
        return report.Rows == 0
            ? HealthCheckResult.Healthy(report.ToString())
            : HealthCheckResult.Degraded(report.ToString(), data: data);
    }
}
