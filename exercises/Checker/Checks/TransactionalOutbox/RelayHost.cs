using System.CommandLine;
using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using Confluent.Kafka;
using Lab.Checker.Processes;
using Npgsql;

namespace Lab.Checker.Checks.TransactionalOutbox;

/// <summary>
/// One relay of exercise 11: a hidden command of the checker that loads the learner's OrderOutbox and calls RelayAsync
/// pass after pass, as a relay service would (a short pause when a pass found nothing or failed), until it is killed.
/// </summary>
public static class RelayHost
{
    public const string CommandName = "relay-11";
    public const string TypeName = "OrderOutbox";
    public const string ApplicationPrefix = "lab11-relay-";
    public static readonly TimeSpan PassTimeout = TimeSpan.FromSeconds(20);

    public static Command Command()
    {
        var assembly = new Option<string>("--assembly") { Required = true };
        var topic = new Option<string>("--topic") { Required = true };
        var kafka = new Option<string>("--kafka") { Required = true };
        var relay = new Option<int>("--relay") { Required = true };
        var dieAfterAcks = new Option<int>("--die-after-acks");
        var command = new Command(CommandName, "Runs one relay of exercise 11 for the checker (internal).") { assembly, topic, kafka, relay, dieAfterAcks };
        command.Hidden = true;
        command.SetAction((parse, token) => RunAsync(
            parse.GetValue(assembly)!, parse.GetValue(topic)!, parse.GetValue(kafka)!, parse.GetValue(relay), parse.GetValue(dieAfterAcks)));
        return command;
    }

    /// <summary>What the relay prints once it is loaded, just before its first pass.</summary>
    public const string Ready = "relay ready";

    public static CheckerChildProcess Start(string assemblyPath, string topic, string kafka, int relay, int dieAfterAcks, string labDb, Action<string> output) =>
        CheckerChildProcess.Start(
            [
                CommandName, "--assembly", assemblyPath, "--topic", topic, "--kafka", kafka,
                "--relay", relay.ToString(CultureInfo.InvariantCulture), "--die-after-acks", dieAfterAcks.ToString(CultureInfo.InvariantCulture),
            ],
            new Dictionary<string, string> { ["ConnectionStrings__labdb"] = labDb },
            output);

    /// <summary>The producer settings of the relays and of the checker's own writers: acknowledged by all replicas, in order, within 2 s.</summary>
    public static ProducerConfig ProducerConfig(string kafka) => new()
    {
        BootstrapServers = kafka,
        EnableIdempotence = true,
        Acks = Acks.All,
        LingerMs = 5,
        MessageTimeoutMs = 2000,
        ReconnectBackoffMaxMs = 500,
    };

    public static (MethodInfo Place, MethodInfo Relay)? FindMethods(Assembly assembly)
    {
        var type = assembly.GetExportedTypes().FirstOrDefault(candidate => candidate.Name == TypeName);
        var place = type?.GetMethod("PlaceOrderAsync", BindingFlags.Public | BindingFlags.Static);
        var relay = type?.GetMethod("RelayAsync", BindingFlags.Public | BindingFlags.Static);
        var placeOk = place is not null && place.ReturnType == typeof(Task)
            && place.GetParameters().Select(parameter => parameter.ParameterType).SequenceEqual(
                [typeof(Order), typeof(NpgsqlDataSource), typeof(IProducer<string, string>), typeof(string), typeof(CancellationToken)]);
        var relayOk = relay is not null && relay.ReturnType == typeof(Task<int>)
            && relay.GetParameters().Select(parameter => parameter.ParameterType).SequenceEqual(
                [typeof(NpgsqlDataSource), typeof(IProducer<string, string>), typeof(string), typeof(CancellationToken)]);
        return placeOk && relayOk ? (place!, relay!) : null;
    }

    private static async Task<int> RunAsync(string assemblyPath, string topic, string kafka, int relay, int dieAfterAcks)
    {
        var labDb = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("ConnectionStrings__labdb"))
        {
            SearchPath = TransactionalOutboxCheck.Schema,
            ApplicationName = ApplicationPrefix + relay.ToString(CultureInfo.InvariantCulture),
            Timezone = "UTC",
        };
        var method = FindMethods(AssemblyLoadContext.Default.LoadFromAssemblyPath(assemblyPath))!.Value.Relay;
        await using var database = NpgsqlDataSource.Create(labDb.ConnectionString);
        using var inner = new ProducerBuilder<string, string>(ProducerConfig(kafka)).SetLogHandler((_, _) => { }).Build();
        using var producer = new RelayProducer(inner, relay, dieAfterAcks);
        Console.WriteLine(Ready);
        while (true)
        {
            int published;
            try
            {
                using var timeout = new CancellationTokenSource(PassTimeout);
                published = await ((Task<int>)method.Invoke(null, [database, producer, topic, timeout.Token])!).WaitAsync(PassTimeout + TimeSpan.FromSeconds(1));
            }
            catch (Exception ex)
            {
                var error = ex is TargetInvocationException { InnerException: { } inner2 } ? inner2 : ex;
                await Console.Error.WriteLineAsync($"{error.GetType().Name}: {error.Message.Split('\n')[0].Trim()}");
                published = -1;
            }

            if (published <= 0)
            {
                await Task.Delay(published == 0 ? 100 : 250);
            }
        }
    }
}
