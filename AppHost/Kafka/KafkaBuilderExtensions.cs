// Stands in for Aspire.Hosting.Kafka 13.6.5, which the package feed lacks: delete this folder and reference that package to swap back.
using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>
/// The part of Aspire.Hosting.Kafka this AppHost uses, with the same public shape, images and listener settings:
/// a single-node KRaft broker (confluent-local) and Kafka UI. Its readiness check asks the cluster to describe itself
/// through Confluent.Kafka's admin client (<see cref="KafkaReadinessCheck"/>).
/// </summary>
public static class KafkaBuilderExtensions
{
    private const int KafkaBrokerPort = 9092;
    private const int KafkaInternalBrokerPort = 9093;
    private const int KafkaUIPort = 8080;
    private const string DataTarget = "/var/lib/kafka/data";

    /// <summary>Adds a Kafka broker container; <paramref name="port"/> is its host port (random when null).</summary>
    public static IResourceBuilder<KafkaServerResource> AddKafka(this IDistributedApplicationBuilder builder, [ResourceName] string name, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);

        var kafka = new KafkaServerResource(name);
        var healthCheckKey = builder.AddReadinessCheck(name, () => new KafkaReadinessCheck(() => kafka.ConnectionStringExpression.GetValueAsync(CancellationToken.None)));

        return builder.AddResource(kafka)
            .WithEndpoint(targetPort: KafkaBrokerPort, port: port, name: KafkaServerResource.PrimaryEndpointName)
            .WithEndpoint(targetPort: KafkaInternalBrokerPort, name: KafkaServerResource.InternalEndpointName)
            .WithImage(KafkaContainerImageTags.Image, KafkaContainerImageTags.Tag)
            .WithImageRegistry(KafkaContainerImageTags.Registry)
            .WithIconName("MailMultiple")
            .WithEnvironment(context => ConfigureKafkaContainer(context, kafka))
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>Adds Kafka UI (one per application) pointed at every Kafka resource through the internal listener.</summary>
    public static IResourceBuilder<KafkaServerResource> WithKafkaUI(
        this IResourceBuilder<KafkaServerResource> builder,
        Action<IResourceBuilder<KafkaUIContainerResource>>? configureContainer = null,
        string? containerName = null)
    {
        ArgumentNullException.ThrowIfNull(builder);

        if (builder.ApplicationBuilder.Resources.OfType<KafkaUIContainerResource>().SingleOrDefault() is { } existing)
        {
            configureContainer?.Invoke(builder.ApplicationBuilder.CreateResourceBuilder(existing));
            return builder;
        }

        var ui = builder.ApplicationBuilder.AddResource(new KafkaUIContainerResource(containerName ?? "kafka-ui"))
            .WithImage(KafkaContainerImageTags.KafkaUiImage, KafkaContainerImageTags.KafkaUiTag)
            .WithImageRegistry(KafkaContainerImageTags.Registry)
            .WithIconName("WindowDatabase")
            .WithHttpEndpoint(targetPort: KafkaUIPort)
            .WithParentRelationship(builder)
            .ExcludeFromManifest();

        ui.WithEnvironment(context =>
        {
            var clusters = builder.ApplicationBuilder.Resources.OfType<KafkaServerResource>().ToList();
            for (var i = 0; i < clusters.Count; i++)
            {
                var internalEndpoint = clusters[i].InternalEndpoint;
                context.EnvironmentVariables[$"KAFKA_CLUSTERS_{i}_NAME"] = clusters[i].Name;
                context.EnvironmentVariables[$"KAFKA_CLUSTERS_{i}_BOOTSTRAPSERVERS"] = context.ExecutionContext.IsPublishMode
                    ? internalEndpoint.Property(EndpointProperty.HostAndPort)
                    : $"{clusters[i].Name}:{KafkaInternalBrokerPort}";
            }
        });

        configureContainer?.Invoke(ui);
        return builder;
    }

    /// <summary>Fixes Kafka UI's host port.</summary>
    public static IResourceBuilder<KafkaUIContainerResource> WithHostPort(this IResourceBuilder<KafkaUIContainerResource> builder, int? port)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithEndpoint("http", endpoint => endpoint.Port = port);
    }

    /// <summary>Keeps the broker's log directories in a named volume, so topics and offsets survive a restart.</summary>
    public static IResourceBuilder<KafkaServerResource> WithDataVolume(this IResourceBuilder<KafkaServerResource> builder, string? name = null, bool isReadOnly = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .WithEnvironment("KAFKA_LOG_DIRS", DataTarget)
            .WithVolume(name ?? VolumeNameGenerator.Generate(builder, "data"), DataTarget, isReadOnly);
    }

    private static void ConfigureKafkaContainer(EnvironmentCallbackContext context, KafkaServerResource kafka)
    {
        context.EnvironmentVariables["KAFKA_LISTENERS"] =
            $"PLAINTEXT://localhost:29092,CONTROLLER://localhost:29093,PLAINTEXT_HOST://0.0.0.0:{KafkaBrokerPort},PLAINTEXT_INTERNAL://0.0.0.0:{KafkaInternalBrokerPort}";
        context.EnvironmentVariables["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"] =
            "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,PLAINTEXT_HOST:PLAINTEXT,PLAINTEXT_INTERNAL:PLAINTEXT";

        var primary = kafka.PrimaryEndpoint;
        var internalEndpoint = kafka.InternalEndpoint;
        context.EnvironmentVariables["KAFKA_ADVERTISED_LISTENERS"] = context.ExecutionContext.IsPublishMode
            ? ReferenceExpression.Create(
                $"PLAINTEXT://{primary.Property(EndpointProperty.Host)}:29092,PLAINTEXT_HOST://{primary.Property(EndpointProperty.HostAndPort)},PLAINTEXT_INTERNAL://{internalEndpoint.Property(EndpointProperty.HostAndPort)}")
            : ReferenceExpression.Create(
                $"PLAINTEXT://localhost:29092,PLAINTEXT_HOST://localhost:{primary.Property(EndpointProperty.Port)},PLAINTEXT_INTERNAL://{kafka.Name}:{internalEndpoint.Property(EndpointProperty.TargetPort)}");
    }
}
