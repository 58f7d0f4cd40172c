using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Lab.Checker.Checks.ResumableJob;

/// <summary>
/// A loopback relay between the learner's step and PostgreSQL, inside the step's process. It passes every byte
/// through, and reads the server's side of the protocol for two messages only: the crash point's NOTICE (raised by
/// pseudonymize_email at the chosen email) arms the connection; the next ReadyForQuery that says "not in a
/// transaction" means the work is committed, and the relay calls <see cref="_trip"/> before passing it on. So the
/// step dies with its batch committed and without ever hearing so, wherever it keeps its progress. (Fault-injecting
/// proxies such as Toxiproxy cut connections at random moments; none waits for a particular PostgreSQL message.)
/// </summary>
public sealed class CommitTripwire : IAsyncDisposable
{
    private static readonly byte[] s_marker = Encoding.ASCII.GetBytes("lab07: crash point");
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly string _serverHost;
    private readonly int _serverPort;
    private readonly Action _trip;
    private Task? _accepting;

    private CommitTripwire(string serverHost, int serverPort, Action trip)
    {
        _serverHost = serverHost;
        _serverPort = serverPort;
        _trip = trip;
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public static CommitTripwire Start(string serverHost, int serverPort, Action trip)
    {
        var tripwire = new CommitTripwire(serverHost, serverPort, trip);
        tripwire._listener.Start();
        tripwire._accepting = tripwire.AcceptAsync(tripwire._stopping.Token);
        return tripwire;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        if (_accepting is not null)
        {
            await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(cancellationToken);
            _ = RelayAsync(client, cancellationToken);
        }
    }

    private async Task RelayAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using (client)
        using (var server = new TcpClient { NoDelay = true })
        {
            try
            {
                client.NoDelay = true;
                await server.ConnectAsync(_serverHost, _serverPort, cancellationToken);
                var toServer = client.GetStream().CopyToAsync(server.GetStream(), cancellationToken);
                var toClient = WatchServerAsync(server.GetStream(), client.GetStream(), cancellationToken);
                await Task.WhenAny(toServer, toClient);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Either side hung up: closing both ends is all there is to do.
            }
        }
    }

    private async Task WatchServerAsync(NetworkStream server, NetworkStream client, CancellationToken cancellationToken)
    {
        var reader = new ServerMessages();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await server.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (reader.Read(buffer.AsSpan(0, read)))
            {
                _trip();
            }

            await client.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }

    /// <summary>
    /// Splits the server's byte stream into messages (a type byte, a 4-byte length that counts itself, the body; the
    /// connection is plain, so no SSL or GSS byte comes first) and keeps the bodies of NoticeResponse and ReadyForQuery.
    /// </summary>
    private sealed class ServerMessages
    {
        private readonly byte[] _header = new byte[5];
        private readonly List<byte> _body = [];
        private int _headerFilled;
        private int _remaining;
        private bool _keep;
        private bool _armed;

        /// <summary>True when this chunk completes the ReadyForQuery that follows the commit after the crash point.</summary>
        public bool Read(ReadOnlySpan<byte> chunk)
        {
            var trip = false;
            while (!chunk.IsEmpty)
            {
                if (_headerFilled < _header.Length)
                {
                    _header[_headerFilled++] = chunk[0];
                    chunk = chunk[1..];
                    if (_headerFilled == _header.Length)
                    {
                        _remaining = BinaryPrimitives.ReadInt32BigEndian(_header.AsSpan(1)) - 4;
                        _keep = _header[0] is (byte)'N' or (byte)'Z';
                        _body.Clear();
                        trip |= _remaining == 0 && Complete();
                    }

                    continue;
                }

                var take = Math.Min(_remaining, chunk.Length);
                if (_keep)
                {
                    _body.AddRange(chunk[..take]);
                }

                chunk = chunk[take..];
                _remaining -= take;
                trip |= _remaining == 0 && Complete();
            }

            return trip;
        }

        private bool Complete()
        {
            _headerFilled = 0;
            if (_header[0] == (byte)'N' && _body.ToArray().AsSpan().IndexOf(s_marker) >= 0)
            {
                _armed = true;
            }

            // ReadyForQuery's status: I idle (committed or rolled back), T in a transaction, E in a failed one.
            return _header[0] == (byte)'Z' && _armed && _body.Count == 1 && _body[0] == (byte)'I';
        }
    }
}
