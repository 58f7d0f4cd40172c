using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Aspire.Hosting;

/// <summary>PostgreSQL from the operating system's packages as an AppHost resource (native mode).</summary>
internal static class NativePostgresBuilderExtensions
{
    /// <summary>
    /// Adds the server: initdb in <paramref name="dataDirectory"/> on the first start (password authentication, C locale),
    /// then postgres on 127.0.0.1:<paramref name="port"/> (a free port when null), run as the postgres user when the
    /// AppHost runs as root. Ready when it answers a query.
    /// </summary>
    public static IResourceBuilder<NativePostgresServerResource> AddNativePostgres(
        this IDistributedApplicationBuilder builder,
        string name,
        IResourceBuilder<ParameterResource> password,
        int? port,
        string dataDirectory,
        string binDirectory)
    {
        var postgres = Path.Combine(binDirectory, "postgres");
        var asRoot = NativeServers.RunningAsRoot;
        string? runuser = null;
        if (asRoot && !NativeServers.TryFindRunuser(out runuser))
        {
            throw new InvalidOperationException("PostgreSQL refuses to run as root and runuser (util-linux) was not found to run it as the postgres user.");
        }

        var workingDirectory = Path.GetDirectoryName(dataDirectory)!;
        var server = new NativePostgresServerResource(name, runuser ?? postgres, workingDirectory, password.Resource, dataDirectory);
        var healthCheckKey = builder.AddReadinessCheck(name, () => new PostgresReadinessCheck(server));

        var resource = builder.AddResource(server)
            .WithEndpoint(port: port, targetPort: port, name: NativePostgresServerResource.PrimaryEndpointName, isProxied: false)
            .WithIconName("Database")
            .WithArgs(context =>
            {
                if (asRoot)
                {
                    context.Args.Add("-u");
                    context.Args.Add(NativeServers.PostgresUser);
                    context.Args.Add("--");
                    context.Args.Add(postgres);
                }

                context.Args.Add("-D");
                context.Args.Add(dataDirectory);
                context.Args.Add("-p");
                context.Args.Add(server.PrimaryEndpoint.Property(EndpointProperty.Port));
                // TCP on loopback only; no Unix socket (its path length limit bites in deep clones).
                context.Args.Add("-c");
                context.Args.Add("listen_addresses=127.0.0.1");
                context.Args.Add("-c");
                context.Args.Add("unix_socket_directories=");
                context.Args.Add("-c");
                context.Args.Add("max_connections=200");
            })
            .WithHealthCheck(healthCheckKey);

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server, async (@event, cancellationToken) =>
        {
            var logger = @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
            var secret = await password.Resource.GetValueAsync(cancellationToken) ?? "";
            await NativePostgresDataDirectory.EnsureInitializedAsync(dataDirectory, binDirectory, runuser, secret, logger, cancellationToken);
        });

        builder.Eventing.Subscribe<ResourceReadyEvent>(server, async (@event, cancellationToken) =>
        {
            await CreateDatabasesAsync(server, cancellationToken);
            var notifications = @event.Services.GetRequiredService<ResourceNotificationService>();
            foreach (var database in builder.Resources.OfType<NativePostgresDatabaseResource>().Where(db => db.Parent == server))
            {
                await notifications.PublishUpdateAsync(database, snapshot => snapshot with { State = KnownResourceStates.Running });
            }
        });

        return resource;
    }

    /// <summary>Adds a database the AppHost creates once the server is ready; it is Running from then on.</summary>
    public static IResourceBuilder<NativePostgresDatabaseResource> AddDatabase(this IResourceBuilder<NativePostgresServerResource> server, string name)
    {
        server.Resource.Databases[name] = name;
        return server.ApplicationBuilder.AddResource(new NativePostgresDatabaseResource(name, name, server.Resource))
            .WithIconName("Database")
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgresDatabase",
                State = KnownResourceStates.Waiting,
                Properties = [],
            });
    }

    private static async Task CreateDatabasesAsync(NativePostgresServerResource server, CancellationToken cancellationToken)
    {
        var connectionString = await server.ConnectionStringExpression.GetValueAsync(cancellationToken);
        await using var connection = new NpgsqlConnection($"{connectionString};Database=postgres");
        await connection.OpenAsync(cancellationToken);
        foreach (var database in server.Databases.Values)
        {
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
            exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = database });
            if (await exists.ExecuteScalarAsync(cancellationToken) is null)
            {
                // An identifier cannot be a parameter; the names are the AppHost's own (appdb, auditdb, labdb).
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }
}
