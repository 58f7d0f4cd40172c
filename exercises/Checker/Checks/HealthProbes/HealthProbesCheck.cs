using System.Diagnostics;
using System.Globalization;
using Lab.Checker.CSharp;
using Lab.Checker.Infrastructure;
using Lab.Checker.Sql;
using Lab.Checker.Verification;
using Npgsql;

namespace Lab.Checker.Checks.HealthProbes;

/// <summary>
/// 10: the learner's health checks of a service with a private database, a shared Kafka and an optional Redis. The
/// checker runs the service with them and reads /health/live and /health/ready while the schema is one migration
/// behind, after the migration, while each dependency is stopped and while it hangs, after it is back, and with a
/// newer schema: liveness must never depend on anything outside the process, readiness must fail for the private
/// database and the missing migration only, and every probe must answer in time.
/// </summary>
public sealed class HealthProbesCheck : IExerciseCheck
{
    public const string Schema = "lab10";
    public const string ApplicationName = "lab10-service";
    private const string LearnerFile = "ServiceHealth.cs";

    public string Id => "health-probes";

    public async Task<CheckResult> VerifyAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var (learner, failure) = LearnerAssembly.Load(context);
        if (failure is not null)
        {
            return failure;
        }

        byte[] image;
        using (learner)
        {
            if (HealthServiceHost.FindAddChecks(learner!.Assembly) is null)
            {
                return CheckResult.Fail(new Report()
                    .Failure($"{context.DisplayPath(LearnerFile)} must keep the method the checker calls, in public static class {HealthServiceHost.TypeName}:")
                    .Evidence(["public static void AddChecks(IHealthChecksBuilder checks, ServiceDependencies dependencies)"], 4)
                    .Line("  Change what it does, not its shape."));
            }

            image = learner.Image;
        }

        var seed = Math.Abs(context.RunId.GetHashCode(StringComparison.Ordinal)) % 100_000;
        var requiredVersion = 3 + (seed % 5);
        await ResetSchemaAsync(context, requiredVersion, cancellationToken);

        var infrastructure = context.Infrastructure;
        var labDb = new NpgsqlConnectionStringBuilder(infrastructure.LabDbConnectionString(ApplicationName));
        var redis = await infrastructure.RedisAsync();
        var redisServer = redis.GetEndPoints()[0];
        var (redisHost, redisPort) = redisServer switch
        {
            System.Net.IPEndPoint ip => (ip.Address.ToString(), ip.Port),
            System.Net.DnsEndPoint dns => (dns.Host, dns.Port),
            _ => throw new InvalidOperationException($"Unexpected Redis endpoint {redisServer}."),
        };

        using var assemblyFile = await LearnerAssemblyFile.WriteAsync(context, image, cancellationToken);
        await using var databaseProxy = FaultProxy.Start(labDb.Host!, labDb.Port);
        await using var cacheProxy = FaultProxy.Start(redisHost, redisPort);
        using var kafka = PrivateKafkaCluster.Start();
        kafka.CreateTopic("lab.10.orders", 3);
        await using var schema = NpgsqlDataSource.Create(infrastructure.LabDbConnectionString("lab-checker", Schema));

        context.Status($"Starting the service with your {LearnerFile}...");
        var port = 0;
        using var service = HealthServiceHost.Start(
            assemblyFile.AssemblyPath, databaseProxy.Port, cacheProxy.Port, kafka.BootstrapServers, requiredVersion, labDb.ConnectionString,
            infrastructure.RedisConnectionString,
            line =>
            {
                if (line.StartsWith(HealthServiceHost.ListeningPrefix, StringComparison.Ordinal))
                {
                    Volatile.Write(ref port, int.Parse(line[HealthServiceHost.ListeningPrefix.Length..], CultureInfo.InvariantCulture));
                }
            });
        var clock = Stopwatch.StartNew();
        while (Volatile.Read(ref port) == 0 && !service.HasExited && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50, cancellationToken);
        }

        if (Volatile.Read(ref port) == 0)
        {
            await service.KillAsync();
            return CheckResult.Fail(new Report().Failure("The service did not start with your health checks:")
                .Evidence((service.Errors.Length > 0 ? service.Errors : "it printed nothing within 30 s").Split('\n').Take(6), 4)
                .Line("  AddChecks runs once, at start-up: register the checks there; do the checking in them."));
        }

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = Timeout.InfiniteTimeSpan };
        var run = new ProbeRun(http, databaseProxy, cacheProxy, kafka, schema, requiredVersion, seed);
        var states = await run.RunAsync(context.Status, cancellationToken);
        var idle = await run.IdleTrafficAsync(cancellationToken);
        var liveOnly = await run.LiveOnlyTrafficAsync(cancellationToken);
        var crashed = service.HasExited ? service.Errors : null;
        return ProbeVerdict.Judge(states, idle, liveOnly, crashed);
    }

    public async Task<string> ResetAsync(CheckContext context, CancellationToken cancellationToken)
    {
        await using var connection = await context.Infrastructure.LabDb.OpenConnectionAsync(cancellationToken);
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {Schema} CASCADE", connection);
        await drop.ExecuteNonQueryAsync(cancellationToken);
        return "Schema lab10 is gone (verify recreates it); the check's Kafka cluster lives only while a verify runs.";
    }

    private static async Task ResetSchemaAsync(CheckContext context, int requiredVersion, CancellationToken cancellationToken)
    {
        await using var connection = await context.Infrastructure.LabDb.OpenConnectionAsync(cancellationToken);
        var sql = SqlResources.Read("Checks/HealthProbes/schema.sql", new Dictionary<string, object> { ["required"] = requiredVersion });
        foreach (var statement in SqlScript.Split(sql))
        {
            await using var command = new NpgsqlCommand(statement.Text, connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
