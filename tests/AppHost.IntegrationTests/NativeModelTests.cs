using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Migrator.Kafka;

namespace AppHost.IntegrationTests;

/// <summary>Native mode's graph, built in publish mode: the same resource names and references as with containers.</summary>
public sealed class NativeModelTests : IAsyncLifetime
{
    private DistributedApplication _app = null!;
    private DistributedApplicationModel _model = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var output = Path.Combine(Path.GetTempPath(), $"apphost-native-{Guid.NewGuid():N}");
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            ["--infra", "native", "--publisher", "manifest", "--output-path", output], Cancel);
        _app = await builder.BuildAsync(Cancel);
        _model = _app.Services.GetRequiredService<DistributedApplicationModel>();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public void The_servers_are_processes_of_the_operating_systems_packages_and_the_bundled_kafka_mock()
    {
        Assert.IsType<NativePostgresServerResource>(Resource("postgres"));
        Assert.IsType<NativeRedisResource>(Resource("redis"));
        Assert.IsType<NativeKafkaResource>(Resource("kafka"));
        Assert.DoesNotContain(_model.Resources, resource => resource is ContainerResource);
    }

    [Theory]
    [InlineData("appdb")]
    [InlineData("auditdb")]
    [InlineData("labdb")]
    public void The_databases_belong_to_postgres(string database) =>
        Assert.Equal("postgres", Assert.IsType<NativePostgresDatabaseResource>(Resource(database)).Parent.Name);

    [Fact]
    public void Native_kafka_creates_at_start_the_topics_the_migrator_expects() =>
        Assert.Equal(
            KafkaTopic.All.Select(topic => $"{topic.Name}:{topic.Partitions}"),
            NativeInfrastructure.KafkaTopics);

    [Theory]
    [InlineData("migrator", new[] { "appdb", "auditdb", "kafka" })]
    [InlineData("chirp-api", new[] { "appdb", "redis", "kafka" })]
    [InlineData("audit-service", new[] { "auditdb", "kafka" })]
    public void Each_service_references_the_same_resources_as_in_container_mode(string service, string[] dependencies)
    {
        var references = Resource(service).Annotations.OfType<ResourceRelationshipAnnotation>()
            .Where(r => r.Type == "Reference").Select(r => r.Resource.Name).Order();
        Assert.Equal(dependencies.Order(), references);
    }

    private IResource Resource(string name) =>
        _model.Resources.SingleOrDefault(r => r.Name == name) ?? throw new Xunit.Sdk.XunitException($"The model has no resource '{name}'.");
}
