using System.Net;
using System.Net.Sockets;

namespace KafkaMockCluster;

/// <summary>
/// The mock's brokers listen on ports the library picks, so a fixed bootstrap address (127.0.0.1:9092, as a real broker
/// would have) is this forwarder to broker 1. Clients only ask it for metadata, which names the brokers' own addresses,
/// and then talk to those directly.
/// </summary>
internal sealed class BootstrapForwarder : LoopbackServer
{
    private readonly IPEndPoint _broker;

    public BootstrapForwarder(int port, IPEndPoint broker)
        : base(port)
    {
        _broker = broker;
        StartAccepting();
    }

    protected override async Task ServeAsync(TcpClient client)
    {
        using var upstream = new TcpClient();
        try
        {
            // Refused while the brokers are down: the client sees its connection closed, as with a broker outage.
            await upstream.ConnectAsync(_broker, Stopping);
            client.NoDelay = upstream.NoDelay = true;
            var fromClient = client.GetStream().CopyToAsync(upstream.GetStream(), Stopping);
            var toClient = upstream.GetStream().CopyToAsync(client.GetStream(), Stopping);
            await Task.WhenAny(fromClient, toClient);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Either side went away: closing both ends is all there is to do.
        }
    }
}
