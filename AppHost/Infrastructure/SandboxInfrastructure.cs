/// <summary>
/// The five resources every mode provides under the same names (DESIGN.md's contract): the services reference these
/// and cannot tell containers, native servers and external ones apart.
/// </summary>
internal sealed record SandboxInfrastructure(
    IResourceBuilder<IResourceWithConnectionString> AppDb,
    IResourceBuilder<IResourceWithConnectionString> AuditDb,
    IResourceBuilder<IResourceWithConnectionString> LabDb,
    IResourceBuilder<IResourceWithConnectionString> Redis,
    IResourceBuilder<IResourceWithConnectionString> Kafka)
{
    /// <summary>The three databases on one server, and Redis and Kafka.</summary>
    public static SandboxInfrastructure On<TServer>(
        IResourceBuilder<TServer> postgres,
        Func<IResourceBuilder<TServer>, string, IResourceBuilder<IResourceWithConnectionString>> addDatabase,
        IResourceBuilder<IResourceWithConnectionString> redis,
        IResourceBuilder<IResourceWithConnectionString> kafka)
        where TServer : IResource =>
        new(addDatabase(postgres, "appdb"), addDatabase(postgres, "auditdb"), addDatabase(postgres, "labdb"), redis, kafka);
}
