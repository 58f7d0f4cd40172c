using System.Net;
using System.Net.Sockets;

namespace KafkaMockCluster;

/// <summary>
/// The mock's brokers listen on ports the library picks, so a fixed bootstrap address (127.0.0.1:9092, as a real broker
/// would have) is this forwarder to broker 1. Clients only ask it for metadata, which names the brokers' own addresses,
/// and then talk to those directly.
/// </summary>
internal sealed class BootstrapForwarder : IDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _broker;
    private readonly CancellationTokenSource _stopping = new();

    public BootstrapForwarder(int port, IPEndPoint broker)
    {
        _broker = broker;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public void Dispose()
    {
        _stopping.Cancel();
        _listener.Stop();
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                // Refused while the brokers are down: the client sees its connection closed, as with a broker outage.
                await upstream.ConnectAsync(_broker, _stopping.Token);
                client.NoDelay = upstream.NoDelay = true;
                var fromClient = client.GetStream().CopyToAsync(upstream.GetStream(), _stopping.Token);
                var toClient = upstream.GetStream().CopyToAsync(client.GetStream(), _stopping.Token);
                await Task.WhenAny(fromClient, toClient);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Either side went away: closing both ends is all there is to do.
            }
        }
    }
}
