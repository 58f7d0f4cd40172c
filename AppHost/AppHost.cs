var builder = DistributedApplication.CreateBuilder(args);
var sandboxDirectory = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", ".sandbox"));

// Infrastructure: containers where Docker or Podman answers, else the operating system's servers run by this AppHost
// (native), or servers someone else started (external). Every mode gives the same five resources under the same names.
var mode = InfraModeSetting.Read(builder.Configuration, builder.ExecutionContext.IsPublishMode);
if (mode is InfraMode.Containers && builder.ExecutionContext.IsRunMode && !ContainerRuntime.Answers(builder.Configuration))
{
    Console.Error.WriteLine(ContainerRuntime.MissingMessage);
    return 1;
}

var infra = mode switch
{
    InfraMode.Containers => ContainerInfrastructure.Add(builder),
    InfraMode.Native => NativeInfrastructure.TryAdd(builder, sandboxDirectory),
    InfraMode.External => ExternalInfrastructure.TryAdd(builder, sandboxDirectory),
    _ => null,
};
if (infra is null)
{
    return 1;
}

// Services: the migrator first; each service references only what it uses and starts once that is ready.
// The migrator also creates the Kafka topics with their partition counts (Kafka would create them with one).
var migrator = builder.AddProject<Projects.Migrator>("migrator")
    .WithReference(infra.AppDb).WaitFor(infra.AppDb)
    .WithReference(infra.AuditDb).WaitFor(infra.AuditDb)
    .WithReference(infra.Kafka).WaitFor(infra.Kafka);

builder.AddProject<Projects.Chirp_Api>("chirp-api")
    .WithReference(infra.AppDb).WaitFor(infra.AppDb)
    .WithReference(infra.Redis).WaitFor(infra.Redis)
    .WithReference(infra.Kafka).WaitFor(infra.Kafka)
    .WaitForCompletion(migrator)
    .WithHttpHealthCheck("/health/ready")
    .WithUrlForEndpoint("http", url => url.DisplayText = "Chirp API")
    .WithUrlForEndpoint("http", _ => new() { Url = "/docs", DisplayText = "API docs" })
    .WithUrlForEndpoint("http", _ => new() { Url = "/openapi/v1.json", DisplayText = "OpenAPI document" });

builder.AddProject<Projects.Audit_Service>("audit-service")
    .WithReference(infra.AuditDb).WaitFor(infra.AuditDb)
    .WithReference(infra.Kafka).WaitFor(infra.Kafka)
    .WaitForCompletion(migrator)
    .WithHttpHealthCheck("/health/ready")
    .WithUrlForEndpoint("http", url => url.DisplayText = "Audit service")
    .WithUrlForEndpoint("http", _ => new() { Url = "/audit/tail", DisplayText = "Live tail" })
    .WithUrlForEndpoint("http", _ => new() { Url = "/audit/events", DisplayText = "Search" });

// Started by hand from the dashboard (the play button), not at every run.
builder.AddProject<Projects.Snapshot_Job>("snapshot-job")
    .WithReference(infra.AppDb).WaitFor(infra.AppDb)
    .WaitForCompletion(migrator)
    .WithEnvironment("Snapshot__OutputDirectory", Path.Combine(sandboxDirectory, "snapshots"))
    .WithExplicitStart();

builder.Build().Run();
return 0;
