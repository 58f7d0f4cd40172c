using System.Net;
using System.Net.Sockets;

namespace KafkaMockCluster;

/// <summary>A TCP listener on 127.0.0.1 that serves each connection on its own task until disposed.</summary>
internal abstract class LoopbackServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();

    /// <param name="port">The port, or 0 for a free one.</param>
    protected LoopbackServer(int port)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
    }

    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    protected CancellationToken Stopping => _stopping.Token;

    public void Dispose()
    {
        _stopping.Cancel();
        _listener.Stop();
        _stopping.Dispose();
    }

    /// <summary>Serves one connection; the client is disposed by the caller afterwards.</summary>
    protected abstract Task ServeAsync(TcpClient client);

    /// <summary>Call once, at the end of the derived constructor.</summary>
    protected void StartAccepting() => _ = AcceptLoopAsync();

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

            _ = ServeAndCloseAsync(client);
        }
    }

    private async Task ServeAndCloseAsync(TcpClient client)
    {
        using (client)
        {
            await ServeAsync(client);
        }
    }
}
