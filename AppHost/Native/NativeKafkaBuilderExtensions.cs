using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>The native Kafka-protocol cluster (tools/KafkaMockCluster) as an AppHost resource.</summary>
internal static class NativeKafkaBuilderExtensions
{
    /// <summary>
    /// Adds the mock cluster, built with the AppHost (KafkaMockCluster.dll beside it), with its bootstrap address on
    /// 127.0.0.1:<paramref name="port"/> and its control port on <paramref name="controlPort"/> (free ports when null),
    /// and <paramref name="topics"/> created at start, since the mock has no CreateTopics. Ready when it describes itself.
    /// </summary>
    public static IResourceBuilder<NativeKafkaResource> AddNativeKafka(
        this IDistributedApplicationBuilder builder,
        string name,
        int? port,
        int? controlPort,
        IEnumerable<string> topics)
    {
        var launcher = Path.Combine(AppContext.BaseDirectory, "KafkaMockCluster.dll");
        // The dotnet that runs this AppHost (set by `dotnet run` and `dotnet test`), else the one on PATH.
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var kafka = new NativeKafkaResource(name, dotnet, AppContext.BaseDirectory);
        var healthCheckKey = builder.AddReadinessCheck(name, () => new KafkaReadinessCheck(() => kafka.ConnectionStringExpression.GetValueAsync(CancellationToken.None)));

        var topicList = topics.ToList();
        return builder.AddResource(kafka)
            .WithEndpoint(port: port, targetPort: port, name: NativeKafkaResource.PrimaryEndpointName, isProxied: false)
            .WithEndpoint(port: controlPort, targetPort: controlPort, name: NativeKafkaResource.ControlEndpointName, isProxied: false)
            .WithIconName("MailMultiple")
            .WithArgs(context =>
            {
                context.Args.Add(launcher);
                context.Args.Add("--bootstrap-port");
                context.Args.Add(kafka.PrimaryEndpoint.Property(EndpointProperty.Port));
                context.Args.Add("--control-port");
                context.Args.Add(kafka.ControlEndpoint.Property(EndpointProperty.Port));
                foreach (var topic in topicList)
                {
                    context.Args.Add("--topic");
                    context.Args.Add(topic);
                }
            })
            .WithHealthCheck(healthCheckKey);
    }
}
