using System.Globalization;
using SandboxShared;

namespace Sandbox.Testing;

/// <summary>
/// Client of tools/KafkaMockCluster's control port (<c>SANDBOX_KAFKA_CONTROL</c>, native mode only): creates topics
/// with a chosen partition count and simulates a broker outage, which the Kafka protocol of the mock cannot.
/// </summary>
public sealed class MockClusterControl(string address)
{
    public const string Variable = MockClusterControlClient.Variable;

    public static MockClusterControl? FromEnvironment() =>
        SandboxEnvironment.Variable(Variable) is { } address ? new MockClusterControl(address) : null;

    public Task CreateTopicAsync(string topic, int partitions) =>
        MockClusterControlClient.SendAsync(address, string.Create(CultureInfo.InvariantCulture, $"create-topic {topic} {partitions}"));

    public Task TakeBrokersDownAsync() => MockClusterControlClient.SendAsync(address, "brokers down");

    public Task BringBrokersUpAsync() => MockClusterControlClient.SendAsync(address, "brokers up");
}
