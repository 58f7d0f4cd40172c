using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Lab;

// Wrong: registration that fails at start-up.
public static class ServiceHealth
{
    public static void AddChecks(IHealthChecksBuilder checks, ServiceDependencies dependencies)
    {
        throw new InvalidOperationException("not written yet");
    }
}
