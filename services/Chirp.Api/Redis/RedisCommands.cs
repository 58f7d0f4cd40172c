using System.Diagnostics;
using System.Net;
using StackExchange.Redis;

namespace Chirp.Api.Redis;

/// <summary>
/// Runs one Redis command with a client span and a short timeout. Stands in for an OpenTelemetry Redis
/// instrumentation package, which the package feed lacks; attributes follow the database semantic conventions.
/// </summary>
public sealed class RedisCommands(RedisConnection connection, ServiceTelemetry telemetry)
{
    // A dead or slow Redis must cost a request little: past this, the caller falls through to the database.
    private static readonly TimeSpan s_timeout = TimeSpan.FromMilliseconds(250);

    /// <exception cref="RedisUnavailableException">Not connected.</exception>
    /// <exception cref="RedisException">The command failed.</exception>
    /// <exception cref="TimeoutException">No answer within the timeout.</exception>
    public async Task<T> RunAsync<T>(string operation, RedisKey key, Func<IDatabase, Task<T>> command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        using var activity = telemetry.ActivitySource.StartActivity(operation, ActivityKind.Client);
        if (activity is not null)
        {
            // db.system is the older name of db.system.name; dashboards still read either.
            activity.SetTag("db.system.name", "redis");
            activity.SetTag("db.system", "redis");
            activity.SetTag("db.operation.name", operation);
            activity.SetTag("db.namespace", "0");
            activity.SetTag("db.query.text", $"{operation} {key}");
            if (connection.EndPoint is DnsEndPoint dns)
            {
                activity.SetTag("server.address", dns.Host);
                activity.SetTag("server.port", dns.Port);
            }
            else if (connection.EndPoint is IPEndPoint ip)
            {
                activity.SetTag("server.address", ip.Address.ToString());
                activity.SetTag("server.port", ip.Port);
            }
        }

        try
        {
            var database = connection.Database
                ?? throw new RedisUnavailableException($"Redis is {connection.State}.");
            return await command(database).WaitAsync(s_timeout, cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or RedisUnavailableException or TimeoutException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            activity?.SetTag("error.type", ex.GetType().FullName);
            throw;
        }
    }
}
