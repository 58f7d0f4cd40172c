using StackExchange.Redis;
using Xunit;

namespace Sandbox.Testing;

/// <summary>The native Redis server: one multiplexer for the whole test assembly, as in a service.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private ConnectionMultiplexer? _connection;

    public string ConnectionString { get; private set; } = string.Empty;

    public ConnectionMultiplexer Connection =>
        _connection ?? throw new InvalidOperationException("RedisFixture is not initialized.");

    public IDatabase Database => Connection.GetDatabase();

    /// <summary>A key prefix no other test uses, so tests never see each other's keys.</summary>
    public static string UniqueKeyPrefix(string purpose) => $"test:{purpose}:{Guid.NewGuid():N}:";

    public async ValueTask InitializeAsync()
    {
        ConnectionString = SandboxEnvironment.ConnectionString("redis");
        var options = ConfigurationOptions.Parse(ConnectionString);
        options.AbortOnConnectFail = true;
        options.AllowAdmin = true;
        options.ConnectTimeout = 5000;
        try
        {
            _connection = await ConnectionMultiplexer.ConnectAsync(options);
            await _connection.GetDatabase().PingAsync();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            throw new InfrastructureUnavailableException(
                $"Redis does not answer at {string.Join(", ", options.EndPoints)} ({ex.Message}). " +
                $"Start the native infrastructure with `{SandboxEnvironment.StartCommand}`.",
                ex);
        }
    }

    public ValueTask DisposeAsync()
    {
        _connection?.Dispose();
        return ValueTask.CompletedTask;
    }
}
