// Stands in for Aspire.Hosting.Kafka 13.6.5, which the package feed lacks (see KafkaBuilderExtensions.cs).
namespace Aspire.Hosting.ApplicationModel;

/// <summary>A Kafka broker container: "tcp" for clients on the host, "internal" for other containers.</summary>
public class KafkaServerResource(string name) : ContainerResource(name), IResourceWithConnectionString, IResourceWithEnvironment
{
    internal const string PrimaryEndpointName = "tcp";
    internal const string InternalEndpointName = "internal";

    private EndpointReference? _primaryEndpoint;
    private EndpointReference? _internalEndpoint;

    /// <summary>The listener clients on the host use (advertised as localhost).</summary>
    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName, KnownNetworkIdentifiers.LocalhostNetwork);

    /// <summary>The listener other containers use (advertised by the resource's name).</summary>
    public EndpointReference InternalEndpoint => _internalEndpoint ??= new(this, InternalEndpointName, KnownNetworkIdentifiers.DefaultAspireContainerNetwork);

    /// <summary>The bootstrap servers: host:port.</summary>
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)}");
}

/// <summary>Kafka UI (kafbat), a browser view of topics, messages and consumer groups.</summary>
public sealed class KafkaUIContainerResource(string name) : ContainerResource(name);
