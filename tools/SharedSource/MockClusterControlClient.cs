using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace SandboxShared;

/// <summary>
/// Sends one command to tools/KafkaMockCluster's control port (<c>SANDBOX_KAFKA_CONTROL</c>, native mode only), such as
/// <c>create-topic NAME PARTITIONS</c>, which the mock's Kafka protocol lacks. One source file, linked where it is needed.
/// </summary>
internal static class MockClusterControlClient
{
    public const string Variable = "SANDBOX_KAFKA_CONTROL";

    /// <summary>Whether a mock cluster answers <c>ping</c> at <paramref name="address"/> within <paramref name="timeout"/>.</summary>
    public static bool Answers(string address, TimeSpan timeout)
    {
        try
        {
            return SendAsync(address, "ping").Wait(timeout);
        }
        catch (AggregateException)
        {
            return false;
        }
    }

    /// <exception cref="InvalidOperationException">The cluster answered anything but <c>ok</c>.</exception>
    public static async Task SendAsync(string address, string command)
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
            throw new InvalidOperationException($"the Kafka mock cluster answered '{answer ?? "nothing"}' to '{command}'");
        }
    }
}
