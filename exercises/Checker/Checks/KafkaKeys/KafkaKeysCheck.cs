using System.Globalization;
using System.Reflection;
using Confluent.Kafka;
using Lab.Checker.CSharp;
using Lab.Checker.Infrastructure;
using Lab.Checker.Sql;
using Lab.Checker.Verification;

namespace Lab.Checker.Checks.KafkaKeys;

/// <summary>
/// 05: the learner chooses the message key of account events. Four producers write 60 accounts' events at once to
/// a topic of 6 partitions; 3 consumers in one group apply them. Passes when every account's events are applied in
/// sequence order and the load spreads over the partitions.
/// </summary>
public sealed class KafkaKeysCheck : IExerciseCheck
{
    public const int Partitions = 6;
    public const int Consumers = 3;
    public const int Producers = 4;
    public const int Accounts = 60;
    public const int EventsPerAccount = 20;
    private const string LearnerFile = "EventKey.cs";
    private static readonly string[] s_kinds = ["deposit", "withdrawal", "fee"];

    public string Id => "kafka-keys";

    public async Task<CheckResult> VerifyAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var (learner, failure) = LearnerAssembly.Load(context);
        if (failure is not null)
        {
            return failure;
        }

        using (learner)
        {
            var method = LearnerCompiler.FindMethod(learner!.Assembly, "EventKey", "KeyFor");
            if (method is null || method.ReturnType != typeof(string) || method.GetParameters() is not [{ ParameterType: var parameter }] || parameter != typeof(AccountEvent))
            {
                return CheckResult.Fail(new Report()
                    .Failure($"{context.DisplayPath(LearnerFile)} must keep the method the producer calls:")
                    .Evidence(["public static string? KeyFor(AccountEvent accountEvent)"], 4)
                    .Line("  in the public static class EventKey. Change what it returns, not its shape."));
            }

            var keyFor = method.CreateDelegate<Func<AccountEvent, string?>>();
            var events = Events();
            var keys = new Dictionary<Guid, string?>();
            foreach (var accountEvent in events)
            {
                try
                {
                    keys[accountEvent.EventId] = keyFor(accountEvent);
                }
                catch (Exception ex)
                {
                    return CheckResult.Fail(new Report()
                        .Failure($"KeyFor threw {ex.GetType().Name} for {accountEvent}:")
                        .Evidence([ex.Message], 4));
                }
            }

            // Meanwhile, two more processes compute the keys, each taking the events in another order.
            using var assemblyFile = await LearnerAssemblyFile.WriteAsync(context, learner.Image, cancellationToken);
            var elsewhere = Task.WhenAll(Enumerable.Range(0, 2).Select(_ => KeysElsewhereAsync(assemblyFile.AssemblyPath)));
            var topic = $"{LabKafka.TopicPrefix(5)}{context.RunId}";
            context.Status($"Producing {events.Count} events to {topic} ({Partitions} partitions) and consuming them with {Consumers} consumers; computing the keys again in two other processes...");
            await LabKafka.CreateTopicAsync(context.Infrastructure, topic, Partitions);
            try
            {
                var run = await new OrderingRun(context.Infrastructure.KafkaBootstrapServers, topic, events, keys).RunAsync(cancellationToken);
                var unstable = Unstable(await elsewhere, events, keys, context);
                return unstable ?? Judge(run, events, keys, context);
            }
            finally
            {
                await LabKafka.DeleteTopicsAsync(context.Infrastructure, 5);
            }
        }
    }

    /// <summary>The keys a second process computes (or why it could not).</summary>
    private static async Task<(Dictionary<Guid, string?> Keys, string? Error)> KeysElsewhereAsync(string assemblyPath)
    {
        using var process = KeyHost.Start(assemblyPath, Random.Shared.Next());
        if (!await process.WaitAsync(TimeSpan.FromSeconds(30)))
        {
            return ([], "it did not finish within 30 s");
        }

        return process.ExitCode == 0 ? (KeyHost.Parse(process.Output), null) : ([], process.Errors.Length > 0 ? process.Errors : $"exit code {process.ExitCode}");
    }

    /// <summary>A failure when another process gives an event another key than this one did; null when every key agrees.</summary>
    private static CheckResult? Unstable(
        (Dictionary<Guid, string?> Keys, string? Error)[] elsewhere, IReadOnlyList<AccountEvent> events, Dictionary<Guid, string?> keys, CheckContext context)
    {
        var file = context.DisplayPath(LearnerFile);
        if (elsewhere.FirstOrDefault(other => other.Error is not null) is { Error: { } error })
        {
            return CheckResult.Fail(new Report().Failure("KeyFor failed when the checker called it in a second process:")
                .Evidence(error.Split('\n').Take(4), 4)
                .Line("  In the checker's own process it worked: the key must not depend on anything but the event."));
        }

        var differing = events
            .Select(accountEvent => (Event: accountEvent, Here: keys[accountEvent.EventId], There: elsewhere.Select(other => other.Keys.GetValueOrDefault(accountEvent.EventId)).FirstOrDefault(key => key != keys[accountEvent.EventId])))
            .Where(item => item.There != item.Here && elsewhere.Any(other => other.Keys.GetValueOrDefault(item.Event.EventId) != item.Here))
            .ToList();
        if (differing.Count == 0)
        {
            return null;
        }

        var report = new Report()
            .Failure($"KeyFor gives {PlanText.Count(differing.Count)} of the {PlanText.Count(events.Count)} events another key in another process:")
            .Evidence(differing.Take(3).Select(item => $"{item.Event.AccountId} event {item.Event.Sequence}: \"{item.Here}\" in the checker, \"{item.There}\" in a second process"), 4)
            .Line("  Within one run your keys look consistent, so the events may even have arrived in order. But a producer that restarts,")
            .Line("  or a second instance of it, computes other keys: the same account then lands in another partition, and its")
            .Line("  events overtake each other there. A key must come from the event alone, the same in every process.");
        var source = string.Join('\n', context.Exercise.Files.Select(context.ReadFile));
        if (source.Contains("GetHashCode", StringComparison.Ordinal) || source.Contains("HashCode.", StringComparison.Ordinal))
        {
            report.Line("  Your file uses a hash code: .NET randomizes string hash codes per process (HashCode too), on purpose.");
        }
        else if (source.Contains("Random", StringComparison.Ordinal) || source.Contains("NewGuid", StringComparison.Ordinal))
        {
            report.Line("  Your file uses Random or Guid.NewGuid(): a new value every time.");
        }
        else if (source.Contains("static", StringComparison.Ordinal) && source.Contains("++", StringComparison.Ordinal) || source.Contains("Interlocked", StringComparison.Ordinal))
        {
            report.Line("  Your file counts in a static field: the count depends on which events this process saw first.");
        }

        return CheckResult.Fail(report.Line($"  Which value names the account in the event itself? Return it (or a fixed function of it) in {file}."));
    }

    public async Task<string> ResetAsync(CheckContext context, CancellationToken cancellationToken) =>
        LabKafka.Describe(await LabKafka.DeleteTopicsAsync(context.Infrastructure, 5), 5);

    /// <summary>The same events every run: 60 accounts, 20 events each, deposits, withdrawals and fees.</summary>
    public static IReadOnlyList<AccountEvent> Events()
    {
        var events = new List<AccountEvent>();
        for (var account = 1; account <= Accounts; account++)
        {
            for (var sequence = 1; sequence <= EventsPerAccount; sequence++)
            {
                var id = new Guid(account, (short)sequence, 5, [0, 0, 0, 0, 0, 0, 0, 5]);
                events.Add(new AccountEvent(id, $"acc-{account:0000}", sequence, s_kinds[(account + sequence) % 3], 100L * ((account * sequence % 50) + 1)));
            }
        }

        return events;
    }

    private static CheckResult Judge(OrderingRun.Result run, IReadOnlyList<AccountEvent> events, Dictionary<Guid, string?> keys, CheckContext context)
    {
        var file = context.DisplayPath(LearnerFile);
        if (run.Applied.Count < events.Count)
        {
            return CheckResult.Fail(new Report()
                .Failure($"Only {run.Applied.Count} of the {events.Count} events were consumed within {OrderingRun.Timeout.TotalSeconds:0} s.")
                .Line($"  {run.ProduceErrors} could not be produced. Check that Kafka is up ({LabCommand.Of("list")} probes it) and try again."));
        }

        var byAccount = run.Applied.GroupBy(applied => applied.Event.AccountId, StringComparer.Ordinal).OrderBy(group => group.Key, StringComparer.Ordinal).ToList();
        var outOfOrder = byAccount.Where(group => !IsAscending(group.Select(applied => applied.Event.Sequence))).ToList();
        var perPartition = run.Applied.GroupBy(applied => applied.Partition).ToDictionary(group => group.Key, group => group.ToList());
        var busiest = perPartition.Values.Max(list => list.Count);
        var spread = perPartition.Count >= 4 && busiest <= events.Count / 2;
        var distinctKeys = keys.Values.Distinct(StringComparer.Ordinal).Count();

        var report = new Report();
        if (outOfOrder.Count > 0)
        {
            report.Failure($"{outOfOrder.Count} of {Accounts} accounts had their events applied out of order. For example:");
            foreach (var account in outOfOrder.Take(3))
            {
                report.Evidence([$"{account.Key}: {Sequence(account.ToList())}"], 4);
            }

            var example = outOfOrder[0].ToList();
            var partitions = example.Select(applied => applied.Partition).Distinct().Order().ToList();
            var consumers = example.Select(applied => applied.Consumer).Distinct().Order().ToList();
            var accountKeys = example.Select(applied => keys[applied.Event.EventId]).Distinct(StringComparer.Ordinal).ToList();
            report.Line($"  (n@p: event n read from partition p.) {example[0].Event.AccountId}'s events went to partitions {string.Join(", ", partitions)},")
                .Line($"  read by consumers {string.Join(", ", consumers.Select(consumer => consumer + 1))} each at its own pace. Kafka keeps order only within one partition,")
                .Line("  and the producer picks the partition from the key: the same key, the same partition.")
                .Line(accountKeys.All(key => key is null)
                    ? "  Your KeyFor returns null: without a key the producer scatters the messages over the partitions."
                    : $"  Your KeyFor gave this account's {example.Count} events {accountKeys.Count} different keys (first: \"{accountKeys[0]}\").")
                .Line($"  Which events must stay in order relative to each other? Choose the key in {file} accordingly.");
            return CheckResult.Fail(report);
        }

        if (!spread)
        {
            var used = perPartition.Keys.Order().ToList();
            var idle = Enumerable.Range(0, Consumers).Count(consumer => run.Applied.All(applied => applied.Consumer != consumer));
            if (used.Count == 1)
            {
                report.Failure($"All {PlanText.Count(events.Count)} events went to partition {used[0]}, so one consumer applied them one after another.")
                    .Line("  That is the only reason every account's events stayed in order in this run: nothing ran in parallel.");
            }
            else
            {
                report.Failure($"All {PlanText.Count(events.Count)} events went to {used.Count} of the {Partitions} partitions.")
                    .Line("  Every account's events stayed in order, but the load did not spread.");
            }

            if (keys.Values.All(key => key is null))
            {
                report.Line("  Your KeyFor returns null. A keyless message may go to any partition: this burst happened to stick to one")
                    .Line("  (the producer fills one partition's batch for a few milliseconds, then moves on). Under steady load the")
                    .Line("  messages of one account scatter over the partitions, and their order with them.");
            }
            else
            {
                report.Line($"  Your KeyFor produced {distinctKeys} distinct key{(distinctKeys == 1 ? string.Empty : "s")} (first: \"{keys.Values.First()}\") for {Accounts} accounts, and the producer maps each key to a partition.");
            }

            report.Line($"  One partition is read by one consumer of the group: {idle} of the {Consumers} consumers had nothing to do, and")
                .Line("  adding more would not help. Order is only needed within an account: a key that differs between accounts")
                .Line("  spreads them over the partitions.");
            return CheckResult.Fail(report.Evidence(Load(perPartition), 4));
        }

        return CheckResult.Pass(report
            .Success($"Every account's events were applied in order: {Accounts} accounts, {PlanText.Count(events.Count)} events, {Producers} producers writing at once.")
            .Success($"The load spread over {perPartition.Count} of {Partitions} partitions and {run.Applied.Select(applied => applied.Consumer).Distinct().Count()} of {Consumers} consumers:")
            .Evidence(Load(perPartition), 4)
            .Blank()
            .Line("What you learned: Kafka orders messages within a partition, never across partitions. The key decides the")
            .Line("partition, so the key is how you say which messages must keep their order: the account here. Everything")
            .Line("with different keys may run in parallel, which is what lets a consumer group scale.")
            .Muted("(Each verify uses a fresh topic, lab.05.<run>. In native mode Kafka is librdkafka's in-memory mock cluster:")
            .Muted(" the Kafka protocol without retention or topic deletion; its topics vanish when scripts/infra stops it.)")
            .Line("Read more: https://kafka.apache.org/documentation/#intro_concepts_and_terms,")
            .Line("  https://docs.confluent.io/kafka/design/consumer-design.html"));
    }

    private static IEnumerable<string> Load(Dictionary<int, List<OrderingRun.Applied>> perPartition) =>
        perPartition.OrderBy(pair => pair.Key).Select(pair =>
            string.Create(CultureInfo.InvariantCulture,
                $"partition {pair.Key}: {pair.Value.Count,5} events, {pair.Value.Select(applied => applied.Event.AccountId).Distinct(StringComparer.Ordinal).Count(),2} accounts, consumer {pair.Value[0].Consumer + 1}"));

    private static bool IsAscending(IEnumerable<long> sequence)
    {
        var previous = long.MinValue;
        foreach (var value in sequence)
        {
            if (value < previous)
            {
                return false;
            }

            previous = value;
        }

        return true;
    }

    /// <summary>The applied order with partitions, around the first event out of place: 1@p2, 2@p2, 5@p0, 3@p4...</summary>
    private static string Sequence(List<OrderingRun.Applied> applied)
    {
        var first = applied.FindIndex(item => applied.Take(applied.IndexOf(item)).Any(earlier => earlier.Event.Sequence > item.Event.Sequence));
        var start = Math.Max(0, first - 4);
        var shown = applied.Skip(start).Take(9).Select(item => $"{item.Event.Sequence}@p{item.Partition}");
        return $"applied {(start > 0 ? "..., " : string.Empty)}{string.Join(", ", shown)}{(start + 9 < applied.Count ? ", ..." : string.Empty)}";
    }
}
