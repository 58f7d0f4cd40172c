using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Snapshot.Job.IntegrationTests;

/// <summary>
/// A TCP proxy between the job and PostgreSQL that makes real connection failures on cue: while closed, nothing
/// listens on its port, so connections are refused; <see cref="CutOnceAfter"/> resets every open connection (RST)
/// once a number of bytes has passed, which lands in the middle of whatever the job is doing.
/// Stands in for Toxiproxy, which needs a server of its own.
/// </summary>
internal sealed class ChaosProxy : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly ConcurrentDictionary<int, (Socket Client, Socket Server)> _links = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private Socket? _listener;
    private int _nextLink;
    private long _relayed;
    private long _cutAt = long.MaxValue;
    private int _cuts;

    /// <summary>Reserves a loopback port, closed until <see cref="Open"/>.</summary>
    public ChaosProxy(string host, int port)
    {
        _target = new IPEndPoint(Dns.GetHostAddresses(host).First(address => address.AddressFamily == AddressFamily.InterNetwork), port);
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    public int Port { get; }

    public int Cuts => Volatile.Read(ref _cuts);

    /// <summary>Starts accepting connections on <see cref="Port"/>.</summary>
    public void Open()
    {
        lock (_gate)
        {
            if (_listener is not null)
            {
                return;
            }

            _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, Port));
            _listener.Listen(64);
            _ = AcceptAsync(_listener);
        }
    }

    /// <summary>Once <paramref name="bytes"/> more bytes have been relayed (either way), resets every open connection.</summary>
    public void CutOnceAfter(long bytes) => Interlocked.Exchange(ref _cutAt, Interlocked.Read(ref _relayed) + bytes);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        lock (_gate)
        {
            _listener?.Dispose();
        }

        CutAll();
        _stop.Dispose();
    }

    private async Task AcceptAsync(Socket listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var id = Interlocked.Increment(ref _nextLink);
        try
        {
            await server.ConnectAsync(_target, _stop.Token);
            _links[id] = (client, server);
            await Task.WhenAll(PumpAsync(client, server), PumpAsync(server, client));
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // One side went away (or was cut): close the other below.
        }
        finally
        {
            _links.TryRemove(id, out _);
            client.Dispose();
            server.Dispose();
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
                var relayed = Interlocked.Add(ref _relayed, read);
                var cutAt = Interlocked.Read(ref _cutAt);
                if (relayed >= cutAt && Interlocked.CompareExchange(ref _cutAt, long.MaxValue, cutAt) == cutAt)
                {
                    Interlocked.Increment(ref _cuts);
                    CutAll();
                }
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            Reset(from);
            Reset(to);
        }
    }

    private void CutAll()
    {
        foreach (var (client, server) in _links.Values)
        {
            Reset(client);
            Reset(server);
        }
    }

    /// <summary>Closes with SO_LINGER 0, so the peer gets a reset rather than an orderly end of stream.</summary>
    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (ObjectDisposedException)
        {
            // Already closed.
        }
    }
}
