/// <summary>
/// The five resources every mode provides under the same names (DESIGN.md's contract): the services reference these
/// and cannot tell containers, native servers and external ones apart.
/// </summary>
internal sealed record SandboxInfrastructure(
    IResourceBuilder<IResourceWithConnectionString> AppDb,
    IResourceBuilder<IResourceWithConnectionString> AuditDb,
    IResourceBuilder<IResourceWithConnectionString> LabDb,
    IResourceBuilder<IResourceWithConnectionString> Redis,
    IResourceBuilder<IResourceWithConnectionString> Kafka);
