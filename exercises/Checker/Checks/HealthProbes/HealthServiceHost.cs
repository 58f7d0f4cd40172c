using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Runtime.Loader;
using Confluent.Kafka;
using Lab.Checker.Processes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;
using StackExchange.Redis;

namespace Lab.Checker.Checks.HealthProbes;

/// <summary>
/// The service of exercise 10: a hidden command of the checker, an ASP.NET Core app with the learner's health checks
/// behind /health/live (the checks tagged "live") and /health/ready (every check), mapped as ServiceDefaults maps them:
/// Healthy and Degraded answer 200, Unhealthy 503. Its database and Redis are reached through the check's proxies, its
/// Kafka is the check's own cluster. It prints the port it listens on, then serves until it is killed.
/// </summary>
public static class HealthServiceHost
{
    public const string CommandName = "health-10";
    public const string TypeName = "ServiceHealth";
    public const string ListeningPrefix = "listening on port ";
    public const string LiveTag = "live";

    public static Command Command()
    {
        var assembly = new Option<string>("--assembly") { Required = true };
        var databasePort = new Option<int>("--database-port") { Required = true };
        var redisPort = new Option<int>("--redis-port") { Required = true };
        var kafka = new Option<string>("--kafka") { Required = true };
        var version = new Option<int>("--required-version") { Required = true };
        var command = new Command(CommandName, "Runs exercise 10's service for the checker (internal).") { assembly, databasePort, redisPort, kafka, version };
        command.Hidden = true;
        command.SetAction((parse, token) => RunAsync(
            parse.GetValue(assembly)!, parse.GetValue(databasePort), parse.GetValue(redisPort), parse.GetValue(kafka)!, parse.GetValue(version)));
        return command;
    }

    public static CheckerChildProcess Start(
        string assemblyPath, int databaseProxyPort, int redisProxyPort, string kafka, int requiredVersion, string labDb, string redis, Action<string> output) =>
        CheckerChildProcess.Start(
            [
                CommandName,
                "--assembly", assemblyPath,
                "--database-port", databaseProxyPort.ToString(CultureInfo.InvariantCulture),
                "--redis-port", redisProxyPort.ToString(CultureInfo.InvariantCulture),
                "--kafka", kafka,
                "--required-version", requiredVersion.ToString(CultureInfo.InvariantCulture),
            ],
            new Dictionary<string, string> { ["ConnectionStrings__labdb"] = labDb, ["ConnectionStrings__redis"] = redis },
            output);

    /// <summary>AddChecks with the shape the checker calls, or null.</summary>
    public static MethodInfo? FindAddChecks(Assembly assembly)
    {
        var method = assembly.GetExportedTypes().FirstOrDefault(type => type.Name == TypeName)?.GetMethod("AddChecks", BindingFlags.Public | BindingFlags.Static);
        return method is not null && method.ReturnType == typeof(void)
            && method.GetParameters().Select(parameter => parameter.ParameterType).SequenceEqual([typeof(IHealthChecksBuilder), typeof(ServiceDependencies)])
                ? method
                : null;
    }

    private static async Task<int> RunAsync(string assemblyPath, int databasePort, int redisPort, string kafka, int requiredVersion)
    {
        // The private database, through the check's proxy, with Npgsql's own defaults (15 s to connect, 30 s a command).
        var database = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("ConnectionStrings__labdb"))
        {
            Host = "127.0.0.1",
            Port = databasePort,
            SearchPath = HealthProbesCheck.Schema,
            ApplicationName = HealthProbesCheck.ApplicationName,
            SslMode = SslMode.Disable,
            GssEncryptionMode = GssEncryptionMode.Disable,
        };
        var redisOptions = ConfigurationOptions.Parse(Environment.GetEnvironmentVariable("ConnectionStrings__redis")!);
        redisOptions.EndPoints.Clear();
        redisOptions.EndPoints.Add(new IPEndPoint(IPAddress.Loopback, redisPort));
        redisOptions.AbortOnConnectFail = false;
        redisOptions.ReconnectRetryPolicy = new LinearRetry(500);

        try
        {
            var addChecks = FindAddChecks(AssemblyLoadContext.Default.LoadFromAssemblyPath(assemblyPath))!;
            await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
            using var cache = await ConnectionMultiplexer.ConnectAsync(redisOptions);
            using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka, ReconnectBackoffMaxMs = 1000 })
                .SetLogHandler((_, _) => { })
                .Build();
            var dependencies = new ServiceDependencies(dataSource, admin, cache, requiredVersion);

            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var checks = builder.Services.AddHealthChecks();
            addChecks.Invoke(null, [checks, dependencies]);

            await using var app = builder.Build();
            app.MapHealthChecks("/health/live", Options(registration => registration.Tags.Contains(LiveTag)));
            app.MapHealthChecks("/health/ready", Options(predicate: null));
            await app.StartAsync();
            var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            Console.WriteLine($"{ListeningPrefix}{new Uri(address).Port}");
            await Task.Delay(Timeout.Infinite);
            return 0;
        }
        catch (Exception ex)
        {
            var error = ex is TargetInvocationException { InnerException: { } inner } ? inner : ex;
            await Console.Error.WriteLineAsync($"{error.GetType().Name}: {error.Message}");
            var frames = error.StackTrace?.Split('\n') ?? [];
            await Console.Error.WriteLineAsync((frames.FirstOrDefault(frame => frame.Contains(TypeName, StringComparison.Ordinal)) ?? frames.FirstOrDefault())?.Trim());
            return 3;
        }
    }

    private static HealthCheckOptions Options(Func<HealthCheckRegistration, bool>? predicate) => new()
    {
        Predicate = predicate,
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = StatusCodes.Status200OK,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
    };
}
