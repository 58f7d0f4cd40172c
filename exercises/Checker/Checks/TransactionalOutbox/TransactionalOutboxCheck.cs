using Lab.Checker.CSharp;
using Lab.Checker.Infrastructure;
using Lab.Checker.Sql;
using Lab.Checker.Verification;
using Npgsql;

namespace Lab.Checker.Checks.TransactionalOutbox;

/// <summary>
/// 11: the learner's transactional outbox: the write path (order and outbox row in one transaction) and the relay
/// (claim, publish, mark). The checker writes orders through it, some of them rolled back at their commit, runs the
/// relay in processes of its own against a Kafka cluster of the check's own, kills a relay between a publish and its
/// mark, runs two relays at once, takes Kafka down and kills a relay meanwhile, then reads the topic back and counts.
/// </summary>
public sealed class TransactionalOutboxCheck : IExerciseCheck
{
    public const string Schema = "lab11";
    public const int Partitions = 4;
    private const string LearnerFile = "OrderOutbox.cs";

    public string Id => "transactional-outbox";

    public async Task<CheckResult> VerifyAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var (learner, failure) = LearnerAssembly.Load(context);
        if (failure is not null)
        {
            return failure;
        }

        using (learner)
        {
            if (RelayHost.FindMethods(learner!.Assembly) is not { } methods)
            {
                return CheckResult.Fail(new Report()
                    .Failure($"{context.DisplayPath(LearnerFile)} must keep the two methods the checker calls, in public static class {RelayHost.TypeName}:")
                    .Evidence([
                        "public static async Task PlaceOrderAsync(Order order, NpgsqlDataSource database, IProducer<string, string> producer, string topic, CancellationToken cancellationToken)",
                        "public static async Task<int> RelayAsync(NpgsqlDataSource database, IProducer<string, string> producer, string topic, CancellationToken cancellationToken)",
                    ], 4)
                    .Line("  Change what they do, not their shape."));
            }

            await ResetSchemaAsync(context, cancellationToken);
            using var assemblyFile = await LearnerAssemblyFile.WriteAsync(context, learner.Image, cancellationToken);
            using var kafka = PrivateKafkaCluster.Start();
            var topic = $"{LabKafka.TopicPrefix(11)}orders";
            kafka.CreateTopic(topic, Partitions);
            var seed = Math.Abs(context.RunId.GetHashCode(StringComparison.Ordinal)) % 100_000;
            await using var run = new OutboxRun(context, methods.Place, assemblyFile.AssemblyPath, kafka, topic, seed);
            var result = await run.RunAsync(cancellationToken);
            return OutboxVerdict.Judge(result);
        }
    }

    public async Task<string> ResetAsync(CheckContext context, CancellationToken cancellationToken)
    {
        await using var connection = await context.Infrastructure.LabDb.OpenConnectionAsync(cancellationToken);
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {Schema} CASCADE", connection);
        await drop.ExecuteNonQueryAsync(cancellationToken);
        return "Schema lab11 is gone (verify recreates it); its Kafka topic lives in a cluster of the check's own, only while a verify runs.";
    }

    private static async Task ResetSchemaAsync(CheckContext context, CancellationToken cancellationToken)
    {
        await using var connection = await context.Infrastructure.LabDb.OpenConnectionAsync(cancellationToken);
        foreach (var statement in SqlScript.Split(SqlResources.Read("Checks/TransactionalOutbox/schema.sql")))
        {
            await using var command = new NpgsqlCommand(statement.Text, connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
