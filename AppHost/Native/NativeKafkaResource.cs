namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// The Kafka-protocol cluster of native mode: librdkafka's mock (tools/KafkaMockCluster), three brokers in memory,
/// reached through a fixed bootstrap address; "control" creates and deletes topics, which the mock's protocol cannot.
/// </summary>
public sealed class NativeKafkaResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";
    internal const string ControlEndpointName = "control";

    private EndpointReference? _primaryEndpoint;
    private EndpointReference? _controlEndpoint;

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);

    public EndpointReference ControlEndpoint => _controlEndpoint ??= new(this, ControlEndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"127.0.0.1:{PrimaryEndpoint.Property(EndpointProperty.Port)}");
}
