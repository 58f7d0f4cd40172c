using System.Net;
using System.Net.Sockets;

namespace Lab.Checker.Infrastructure;

/// <summary>What a <see cref="FaultProxy"/> does with the traffic that reaches it.</summary>
public enum ProxyMode
{
    /// <summary>Passes every byte both ways: the server answers as usual.</summary>
    Pass,

    /// <summary>Cuts every connection and resets each new one at once, as a stopped server does.</summary>
    Refuse,

    /// <summary>Accepts connections and never answers; open connections stop carrying anything: a server that hangs.</summary>
    Hang,
}

/// <summary>
/// A TCP proxy on loopback that a check puts between learner code and one server (PostgreSQL, Redis), so that it can
/// stop or hang that server for the learner's code alone, never for anyone else who uses it. It counts the bytes
/// clients send, so a check can tell whether some code talked to the server at all.
/// (Toxiproxy does this and more; a check needs these three modes, in process, with nothing to install.)
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly string _serverHost;
    private readonly int _serverPort;
    private readonly Lock _gate = new();
    private readonly List<Connection> _connections = [];
    private Task? _accepting;
    private long _bytesFromClients;
    private long _connectionsAccepted;

    private FaultProxy(string serverHost, int serverPort)
    {
        _serverHost = serverHost;
        _serverPort = serverPort;
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public ProxyMode Mode { get; private set; } = ProxyMode.Pass;

    /// <summary>Bytes the clients sent towards the server (in every mode), since the proxy started.</summary>
    public long BytesFromClients => Interlocked.Read(ref _bytesFromClients);

    /// <summary>Connections the clients opened, since the proxy started.</summary>
    public long ConnectionsAccepted => Interlocked.Read(ref _connectionsAccepted);

    public static FaultProxy Start(string serverHost, int serverPort)
    {
        var proxy = new FaultProxy(serverHost, serverPort);
        proxy._listener.Start();
        proxy._accepting = proxy.AcceptAsync(proxy._stopping.Token);
        return proxy;
    }

    /// <summary>Switches the mode. Leaving <see cref="ProxyMode.Hang"/> or entering <see cref="ProxyMode.Refuse"/> cuts every open connection.</summary>
    public void Set(ProxyMode mode)
    {
        List<Connection> cut;
        lock (_gate)
        {
            var previous = Mode;
            Mode = mode;
            cut = mode == ProxyMode.Refuse || (previous == ProxyMode.Hang && mode == ProxyMode.Pass) ? [.. _connections] : [];
            if (mode == ProxyMode.Hang)
            {
                foreach (var connection in _connections)
                {
                    connection.Freeze();
                }
            }
        }

        foreach (var connection in cut)
        {
            connection.Cut();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        if (_accepting is not null)
        {
            await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        List<Connection> open;
        lock (_gate)
        {
            open = [.. _connections];
        }

        foreach (var connection in open)
        {
            connection.Cut();
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Interlocked.Increment(ref _connectionsAccepted);
            var connection = new Connection(this, client);
            lock (_gate)
            {
                _connections.Add(connection);
                if (Mode == ProxyMode.Hang)
                {
                    connection.Freeze();
                }
            }

            _ = connection.RunAsync(Mode, cancellationToken);
        }
    }

    private void Forget(Connection connection)
    {
        lock (_gate)
        {
            _connections.Remove(connection);
        }
    }

    /// <summary>One client connection and, unless refused or hanging, its connection to the server.</summary>
    private sealed class Connection(FaultProxy proxy, TcpClient client) : IDisposable
    {
        private readonly TcpClient _server = new() { NoDelay = true };
        private volatile bool _frozen;

        public void Freeze() => _frozen = true;

        /// <summary>A reset, not a polite close: what a client sees when the server's process dies. Pending reads end.</summary>
        public void Cut()
        {
            foreach (var socket in new[] { client, _server })
            {
                try
                {
                    if (socket.Client is { Connected: true } open)
                    {
                        open.LingerState = new LingerOption(true, 0);
                    }

                    socket.Close();
                }
                catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
                {
                    // Already gone.
                }
            }
        }

        public async Task RunAsync(ProxyMode mode, CancellationToken stopping)
        {
            try
            {
                client.NoDelay = true;
                if (mode == ProxyMode.Refuse)
                {
                    Cut();
                    return;
                }

                if (!_frozen)
                {
                    await _server.ConnectAsync(proxy._serverHost, proxy._serverPort, stopping);
                }

                var toServer = PumpAsync(client.GetStream(), _frozen ? null : _server.GetStream(), countFromClient: true, stopping);
                var toClient = _frozen ? Task.Delay(Timeout.Infinite, stopping) : PumpAsync(_server.GetStream(), client.GetStream(), countFromClient: false, stopping);
                await Task.WhenAny(toServer, toClient);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
                // One side went away or the proxy cut it: closing both ends is all there is to do.
            }
            finally
            {
                Dispose();
                proxy.Forget(this);
            }
        }

        public void Dispose()
        {
            Cut();
            client.Dispose();
            _server.Dispose();
        }

        /// <summary>Copies until either side closes; while frozen, it takes what arrives and passes nothing on.</summary>
        private async Task PumpAsync(NetworkStream from, NetworkStream? to, bool countFromClient, CancellationToken token)
        {
            var buffer = new byte[16 * 1024];
            while (true)
            {
                if (_frozen && !countFromClient)
                {
                    await Task.Delay(Timeout.Infinite, token);
                }

                // The client's bytes are read (and counted) even while frozen, so that it sees a live socket that never answers.
                var read = await from.ReadAsync(buffer, token);
                if (read == 0)
                {
                    return;
                }

                if (countFromClient)
                {
                    Interlocked.Add(ref proxy._bytesFromClients, read);
                }

                if (!_frozen)
                {
                    await to!.WriteAsync(buffer.AsMemory(0, read), token);
                }
            }
        }
    }
}
