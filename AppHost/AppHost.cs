using Microsoft.Extensions.Configuration;

var builder = DistributedApplication.CreateBuilder(args);
var sandboxDirectory = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", ".sandbox"));

// Infrastructure: containers (the default) or the native servers of `scripts/infra up` (--infra external).
// Each check prints one line saying what to do when it fails.
var infra = InfraModeSetting.Read(builder.Configuration);
if (infra is null)
{
    return 1;
}

IResourceBuilder<IResourceWithConnectionString> appDb, auditDb, redis, kafka;

if (infra is InfraMode.External)
{
    if (!ExternalInfraConfiguration.TryLoad(builder.Configuration, Path.Combine(sandboxDirectory, "env")))
    {
        return 1;
    }

    appDb = builder.AddConnectionString("appdb");
    auditDb = builder.AddConnectionString("auditdb");
    builder.AddConnectionString("labdb");
    redis = builder.AddConnectionString("redis");
    kafka = builder.AddConnectionString("kafka");
}
else
{
    if (!ContainerRuntime.Answers(builder.Configuration))
    {
        return 1;
    }

    // Fixed host ports so psql, redis-cli and kcat find the servers; a missing setting means a random port.
    var ports = builder.Configuration.GetSection("Sandbox:Ports");

    // Named volumes keep the data across runs and when the clone moves; the password only applies to a new volume.
    var postgres = builder.AddPostgres("postgres",
            password: builder.AddParameter("postgres-password", secret: true),
            port: ports.GetValue<int?>("Postgres"))
        .WithDataVolume("backend-sandbox-postgres")
        .WithPgWeb();
    appDb = postgres.AddDatabase("appdb");
    auditDb = postgres.AddDatabase("auditdb");
    postgres.AddDatabase("labdb");

    // Plain TCP as in native mode, even where a trusted dev certificate would switch Redis to TLS
    // (WithoutHttpsCertificate is marked experimental in 13.5.2, hence the pragma).
#pragma warning disable ASPIRECERTIFICATES001
    redis = builder.AddRedis("redis",
            port: ports.GetValue<int?>("Redis"),
            password: builder.AddParameter("redis-password", secret: true))
        .WithoutHttpsCertificate()
        .WithDataVolume("backend-sandbox-redis")
        .WithRedisInsight();
#pragma warning restore ASPIRECERTIFICATES001

    kafka = builder.AddKafka("kafka", port: ports.GetValue<int?>("Kafka"))
        .WithDataVolume("backend-sandbox-kafka")
        .WithKafkaUI();
}

// Services: the migrator first; each service references only what it uses and starts once that is ready.
// The migrator also creates the Kafka topics with their partition counts (Kafka would create them with one).
var migrator = builder.AddProject<Projects.Migrator>("migrator")
    .WithReference(appDb).WaitFor(appDb)
    .WithReference(auditDb).WaitFor(auditDb)
    .WithReference(kafka).WaitFor(kafka);

builder.AddProject<Projects.Chirp_Api>("chirp-api")
    .WithReference(appDb).WaitFor(appDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(kafka).WaitFor(kafka)
    .WaitForCompletion(migrator)
    .WithHttpHealthCheck("/health/ready")
    .WithUrlForEndpoint("http", url => url.DisplayText = "Chirp API")
    .WithUrlForEndpoint("http", _ => new() { Url = "/docs", DisplayText = "API docs" })
    .WithUrlForEndpoint("http", _ => new() { Url = "/openapi/v1.json", DisplayText = "OpenAPI document" });

builder.AddProject<Projects.Audit_Service>("audit-service")
    .WithReference(auditDb).WaitFor(auditDb)
    .WithReference(kafka).WaitFor(kafka)
    .WaitForCompletion(migrator)
    .WithHttpHealthCheck("/health/ready")
    .WithUrlForEndpoint("http", url => url.DisplayText = "Audit service")
    .WithUrlForEndpoint("http", _ => new() { Url = "/audit/tail", DisplayText = "Live tail" })
    .WithUrlForEndpoint("http", _ => new() { Url = "/audit/events", DisplayText = "Search" });

// Started by hand from the dashboard (the play button), not at every run.
builder.AddProject<Projects.Snapshot_Job>("snapshot-job")
    .WithReference(appDb).WaitFor(appDb)
    .WaitForCompletion(migrator)
    .WithEnvironment("Snapshot__OutputDirectory", Path.Combine(sandboxDirectory, "snapshots"))
    .WithExplicitStart();

builder.Build().Run();
return 0;
