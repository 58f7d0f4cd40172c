/// <summary>Servers someone else started (scripts/infra up), by the connection strings in .sandbox/env.</summary>
internal static class ExternalInfrastructure
{
    /// <summary>The infrastructure, or null after one line when .sandbox/env is missing.</summary>
    public static SandboxInfrastructure? TryAdd(IDistributedApplicationBuilder builder, string sandboxDirectory)
    {
        if (!ExternalInfraConfiguration.TryLoad(builder.Configuration, Path.Combine(sandboxDirectory, "env")))
        {
            return null;
        }

        return new SandboxInfrastructure(
            builder.AddConnectionString("appdb"),
            builder.AddConnectionString("auditdb"),
            builder.AddConnectionString("labdb"),
            builder.AddConnectionString("redis"),
            builder.AddConnectionString("kafka"));
    }
}
