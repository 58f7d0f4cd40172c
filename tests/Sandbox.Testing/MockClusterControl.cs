using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Sandbox.Testing;

/// <summary>
/// Client of tools/KafkaMockCluster's control port (<c>SANDBOX_KAFKA_CONTROL</c>, native mode only): creates topics
/// with a chosen partition count and simulates a broker outage, which the Kafka protocol of the mock cannot.
/// </summary>
public sealed class MockClusterControl(string address)
{
    public const string Variable = "SANDBOX_KAFKA_CONTROL";

    public static MockClusterControl? FromEnvironment() =>
        SandboxEnvironment.Variable(Variable) is { } address ? new MockClusterControl(address) : null;

    public Task CreateTopicAsync(string topic, int partitions) =>
        SendAsync(string.Create(CultureInfo.InvariantCulture, $"create-topic {topic} {partitions}"));

    public Task TakeBrokersDownAsync() => SendAsync("brokers down");

    public Task BringBrokersUpAsync() => SendAsync("brokers up");

    private async Task SendAsync(string command)
    {
        var separator = address.LastIndexOf(':');
        using var client = new TcpClient();
        await client.ConnectAsync(address[..separator], int.Parse(address[(separator + 1)..], CultureInfo.InvariantCulture));
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(command + "\n"));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var answer = await reader.ReadLineAsync();
        if (answer != "ok")
        {
            throw new InvalidOperationException($"Kafka mock cluster control '{command}' answered: {answer ?? "nothing"}");
        }
    }
}
