using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AppHost.IntegrationTests;

/// <summary>
/// Container mode as a laptop with Docker or Podman gets it, checked without an engine: the AppHost builds its model in
/// publish mode (images, volumes, fixed ports, references, wait edges, admin UIs) and writes the manifest.
/// </summary>
public sealed class ContainerModelTests : IAsyncLifetime
{
    private readonly string _output = Directory.CreateTempSubdirectory("apphost-manifest-").FullName;
    private DistributedApplication _app = null!;
    private DistributedApplicationModel _model = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            ["--infra", "containers", "--publisher", "manifest", "--output-path", _output], Cancel);
        _app = await builder.BuildAsync(Cancel);
        _model = _app.Services.GetRequiredService<DistributedApplicationModel>();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Directory.Delete(_output, recursive: true);
    }

    [Theory]
    [InlineData("postgres", "docker.io", "library/postgres", "18.3")]
    [InlineData("redis", "docker.io", "library/redis", "8.6")]
    [InlineData("kafka", "docker.io", "confluentinc/confluent-local", "8.2.0")]
    [InlineData("kafka-ui", "docker.io", "kafbat/kafka-ui", "v1.5.0")]
    public void Each_server_runs_its_pinned_image(string resource, string registry, string image, string tag)
    {
        var annotation = Resource(resource).Annotations.OfType<ContainerImageAnnotation>().Single();
        Assert.Equal((registry, image, tag), (annotation.Registry, annotation.Image, annotation.Tag));
    }

    [Theory]
    [InlineData("postgres", "backend-sandbox-postgres", "/var/lib/postgresql")]
    [InlineData("redis", "backend-sandbox-redis", "/data")]
    [InlineData("kafka", "backend-sandbox-kafka", "/var/lib/kafka/data")]
    public void Each_server_keeps_its_data_in_a_named_volume(string resource, string volume, string target)
    {
        var mount = Assert.Single(Resource(resource).Annotations.OfType<ContainerMountAnnotation>());
        Assert.Equal((volume, target, ContainerMountType.Volume), (mount.Source, mount.Target, mount.Type));
    }

    [Theory]
    [InlineData("postgres", 5432)]
    [InlineData("redis", 6379)]
    [InlineData("kafka", 9092)]
    public void Each_server_listens_on_its_fixed_host_port(string resource, int port)
    {
        var endpoint = Resource(resource).Annotations.OfType<EndpointAnnotation>().First(e => e.Name == "tcp");
        Assert.Equal(port, endpoint.Port);
    }

    [Fact]
    public async Task Kafka_keeps_its_log_directories_in_the_volume_and_advertises_a_listener_for_the_host()
    {
        var kafka = Resource("kafka");
        Assert.Contains(kafka.Annotations.OfType<EndpointAnnotation>(), e => e.Name == "internal" && e.TargetPort == 9093);
        using var manifest = await WriteManifestAsync();
        var env = manifest.RootElement.GetProperty("resources").GetProperty("kafka").GetProperty("env");
        Assert.Equal("/var/lib/kafka/data", env.GetProperty("KAFKA_LOG_DIRS").GetString());
        Assert.Contains("PLAINTEXT_HOST://", env.GetProperty("KAFKA_ADVERTISED_LISTENERS").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pgweb", "postgres")]
    [InlineData("redisinsight", "redis")]
    [InlineData("kafka-ui", "kafka")]
    public void Each_server_has_its_admin_ui(string ui, string server)
    {
        Assert.IsAssignableFrom<ContainerResource>(Resource(ui));
        Assert.NotNull(Resource(server));
    }

    [Theory]
    [InlineData("appdb")]
    [InlineData("auditdb")]
    [InlineData("labdb")]
    public void The_databases_belong_to_postgres(string database) =>
        Assert.Equal("postgres", Assert.IsAssignableFrom<IResourceWithParent>(Resource(database)).Parent.Name);

    [Theory]
    [InlineData("migrator", new[] { "appdb", "auditdb", "kafka" })]
    [InlineData("chirp-api", new[] { "appdb", "redis", "kafka" })]
    [InlineData("audit-service", new[] { "auditdb", "kafka" })]
    [InlineData("snapshot-job", new[] { "appdb" })]
    public void Each_service_references_exactly_what_it_uses_and_waits_for_it(string service, string[] dependencies)
    {
        var annotations = Resource(service).Annotations;
        var references = annotations.OfType<ResourceRelationshipAnnotation>().Where(r => r.Type == "Reference").Select(r => r.Resource.Name).Order();
        Assert.Equal(dependencies.Order(), references);
        var healthyWaits = annotations.OfType<WaitAnnotation>().Where(w => w.WaitType == WaitType.WaitUntilHealthy).Select(w => w.Resource.Name);
        Assert.Superset(dependencies.ToHashSet(), healthyWaits.ToHashSet());
    }

    [Theory]
    [InlineData("chirp-api")]
    [InlineData("audit-service")]
    [InlineData("snapshot-job")]
    public void Each_service_starts_only_after_the_migrator_finished(string service)
    {
        var wait = Assert.Single(Resource(service).Annotations.OfType<WaitAnnotation>(), w => w.Resource.Name == "migrator");
        Assert.Equal((WaitType.WaitForCompletion, 0), (wait.WaitType, wait.ExitCode));
    }

    [Theory]
    [InlineData("chirp-api")]
    [InlineData("audit-service")]
    public void Each_api_is_healthy_only_when_its_readiness_endpoint_says_so(string service) =>
        Assert.NotEmpty(Resource(service).Annotations.OfType<HealthCheckAnnotation>());

    [Fact]
    public void The_snapshot_job_waits_for_a_press_of_its_start_button() =>
        Assert.Single(Resource("snapshot-job").Annotations.OfType<ExplicitStartupAnnotation>());

    [Fact]
    public async Task The_manifest_is_written_without_a_container_engine()
    {
        using var manifest = await WriteManifestAsync();
        var resources = manifest.RootElement.GetProperty("resources");
        foreach (var name in new[] { "postgres", "appdb", "auditdb", "labdb", "redis", "kafka", "migrator", "chirp-api", "audit-service", "snapshot-job" })
        {
            Assert.True(resources.TryGetProperty(name, out _), $"the manifest lacks {name}");
        }
    }

    private IResource Resource(string name) =>
        _model.Resources.SingleOrDefault(r => r.Name == name) ?? throw new Xunit.Sdk.XunitException($"The model has no resource '{name}'.");

    // In publish mode a run writes the manifest and stops.
    private async Task<JsonDocument> WriteManifestAsync()
    {
        await _app.RunAsync(Cancel);
        return JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_output, "aspire-manifest.json"), Cancel));
    }
}
