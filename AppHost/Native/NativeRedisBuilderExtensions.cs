using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>Redis from the operating system's packages as an AppHost resource (native mode).</summary>
internal static class NativeRedisBuilderExtensions
{
    /// <summary>
    /// Adds redis-server on 127.0.0.1:<paramref name="port"/> (a free port when null) with the password in a config file
    /// written at each start under <paramref name="workingDirectory"/> (so it is on no command line), and no persistence:
    /// a cache, empty at every start. Ready when it answers PING.
    /// </summary>
    public static IResourceBuilder<NativeRedisResource> AddNativeRedis(
        this IDistributedApplicationBuilder builder,
        string name,
        IResourceBuilder<ParameterResource> password,
        int? port,
        string redisServer,
        string workingDirectory)
    {
        var redis = new NativeRedisResource(name, redisServer, workingDirectory, password.Resource);
        var configFile = Path.Combine(workingDirectory, "redis.conf");
        var healthCheckKey = builder.AddReadinessCheck(name, () => new RedisReadinessCheck(() => redis.ConnectionStringExpression.GetValueAsync(CancellationToken.None)));

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(redis, async (_, cancellationToken) =>
        {
            Directory.CreateDirectory(workingDirectory);
            var secret = await password.Resource.GetValueAsync(cancellationToken) ?? "";
            await WriteConfigAsync(configFile, workingDirectory, secret, cancellationToken);
        });

        return builder.AddResource(redis)
            .WithEndpoint(port: port, targetPort: port, name: NativeRedisResource.PrimaryEndpointName, isProxied: false)
            .WithIconName("Memory")
            .WithArgs(context =>
            {
                context.Args.Add(configFile);
                context.Args.Add("--port");
                context.Args.Add(redis.PrimaryEndpoint.Property(EndpointProperty.Port));
            })
            .WithHealthCheck(healthCheckKey);
    }

    private static async Task WriteConfigAsync(string path, string directory, string password, CancellationToken cancellationToken)
    {
        var quoted = password.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
        var config = $"""
            # Written by the AppHost at each start (native mode).
            bind 127.0.0.1
            protected-mode yes
            daemonize no
            requirepass "{quoted}"
            # No persistence: a cache and lab server, empty at every start.
            save ""
            appendonly no
            dir "{directory}"

            """;
        await File.WriteAllTextAsync(path, config, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
