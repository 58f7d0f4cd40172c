using System.Net;
using StackExchange.Redis;

namespace Chirp.Api.Redis;

/// <summary>
/// The process's one ConnectionMultiplexer (ConnectionStrings:redis). It connects in the background and keeps
/// reconnecting (AbortOnConnectFail=false), so the API starts and serves without Redis; until it is connected,
/// <see cref="Database"/> is null and callers go to the database instead.
/// </summary>
public sealed partial class RedisConnection : IDisposable
{
    private readonly Task<ConnectionMultiplexer>? _connecting;

    public RedisConnection(IConfiguration configuration, ILogger<RedisConnection> logger)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var connectionString = configuration.GetConnectionString("redis");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            LogNoConnectionString(logger);
            return;
        }

        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2_000;
        options.SyncTimeout = 1_000;
        options.ClientName = "chirp-api";
        EndPoint = options.EndPoints.FirstOrDefault();
        _connecting = ConnectionMultiplexer.ConnectAsync(options);
    }

    /// <summary>The server the cache talks to, for span attributes.</summary>
    public EndPoint? EndPoint { get; }

    /// <summary>The database when the multiplexer is connected, else null.</summary>
    public IDatabase? Database =>
        _connecting is { IsCompletedSuccessfully: true } && _connecting.Result.IsConnected ? _connecting.Result.GetDatabase() : null;

    /// <summary>Waits (briefly) for the first connection, for callers that would rather wait than skip Redis.</summary>
    public async Task<IDatabase?> ConnectedDatabaseAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_connecting is null)
        {
            return null;
        }

        try
        {
            await _connecting.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            return null;
        }

        return Database;
    }

    public string State => _connecting switch
    {
        null => "not configured (no ConnectionStrings:redis)",
        { IsCompletedSuccessfully: true } when _connecting.Result.IsConnected => "connected",
        { IsFaulted: true } => $"failed: {_connecting.Exception?.GetBaseException().Message}",
        _ => "not connected",
    };

    public void Dispose()
    {
        if (_connecting is { IsCompletedSuccessfully: true })
        {
            _connecting.Result.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No ConnectionStrings:redis: timelines are always read from the database")]
    private static partial void LogNoConnectionString(ILogger logger);
}
