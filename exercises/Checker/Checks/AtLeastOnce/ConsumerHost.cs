using System.CommandLine;
using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using Confluent.Kafka;
using Lab.Checker.Infrastructure;
using Lab.Checker.Processes;
using Npgsql;

namespace Lab.Checker.Checks.AtLeastOnce;

/// <summary>
/// The process exercise 06 kills: a hidden command of the checker that loads the learner's compiled consumer and
/// runs it against Kafka and labdb until the checker kills it (or it dies at a commit, when told to).
/// </summary>
public static class ConsumerHost
{
    public const string CommandName = "consume-06";
    public const string ApplicationName = "lab06-consumer";

    public static Command Command()
    {
        var assembly = new Option<string>("--assembly") { Required = true };
        var topic = new Option<string>("--topic") { Required = true };
        var group = new Option<string>("--group") { Required = true };
        var dieAtCommitAfter = new Option<int>("--die-at-commit-after");
        var dieAfterCommitAfter = new Option<int>("--die-after-commit-after");
        var command = new Command(CommandName, "Runs exercise 06's consumer for the checker (internal).") { assembly, topic, group, dieAtCommitAfter, dieAfterCommitAfter };
        command.Hidden = true;
        command.SetAction((parse, token) => RunAsync(
            parse.GetValue(assembly)!, parse.GetValue(topic)!, parse.GetValue(group)!, parse.GetValue(dieAtCommitAfter), parse.GetValue(dieAfterCommitAfter)));
        return command;
    }

    /// <summary>One run of the learner's consumer in a process of its own, killed by the checker or dying at a commit.</summary>
    public static CheckerChildProcess Start(string assemblyPath, string topic, string group, int dieAtCommitAfter, int dieAfterCommitAfter, string labDb, string kafka) =>
        CheckerChildProcess.Start(
            [
                CommandName, "--assembly", assemblyPath, "--topic", topic, "--group", group,
                "--die-at-commit-after", dieAtCommitAfter.ToString(CultureInfo.InvariantCulture),
                "--die-after-commit-after", dieAfterCommitAfter.ToString(CultureInfo.InvariantCulture),
            ],
            new Dictionary<string, string> { ["ConnectionStrings__labdb"] = labDb, ["ConnectionStrings__kafka"] = kafka });

    /// <summary>The base settings before the learner's Configure: Kafka's own defaults, with auto-commit every 200 ms.</summary>
    public static ConsumerConfig BaseConfig(string bootstrapServers, string group)
    {
        var config = LabKafka.ConsumerConfig(bootstrapServers, group);
        config.EnableAutoCommit = true;
        config.AutoCommitIntervalMs = 200;
        return config;
    }

    private static async Task<int> RunAsync(string assemblyPath, string topic, string group, int dieAtCommitAfter, int dieAfterCommitAfter)
    {
        var bootstrap = Environment.GetEnvironmentVariable("ConnectionStrings__kafka")!;
        var labdb = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("ConnectionStrings__labdb"))
        {
            SearchPath = "lab06",
            ApplicationName = ApplicationName,
            Timezone = "UTC",
        };
        var learner = AssemblyLoadContext.Default.LoadFromAssemblyPath(assemblyPath);
        var type = learner.GetExportedTypes().First(candidate => candidate.Name == "PaymentsConsumer");
        var configure = type.GetMethod("Configure", BindingFlags.Public | BindingFlags.Static)!;
        var run = type.GetMethod("RunAsync", BindingFlags.Public | BindingFlags.Static)!;

        var config = BaseConfig(bootstrap, group);
        try
        {
            configure.Invoke(null, [config]);
            using var consumer = new ConsumerBuilder<string, string>(config).SetLogHandler((_, _) => { }).Build();
            consumer.Subscribe(topic);
            using var crashing = new CrashingConsumer(consumer, dieAtCommitAfter, dieAfterCommitAfter);
            await using var dataSource = NpgsqlDataSource.Create(labdb.ConnectionString);
            await (Task)run.Invoke(null, [crashing, dataSource, CancellationToken.None])!;
            return 0;
        }
        catch (Exception ex)
        {
            var error = ex is TargetInvocationException { InnerException: { } inner } ? inner : ex;
            await Console.Error.WriteLineAsync($"{error.GetType().Name}: {error.Message}");
            await Console.Error.WriteLineAsync(error.StackTrace?.Split('\n').FirstOrDefault()?.Trim());
            return 3;
        }
    }
}
