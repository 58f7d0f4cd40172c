using System.Globalization;
using System.Reflection;
using Confluent.Kafka;
using Lab.Checker.CSharp;
using Lab.Checker.Infrastructure;
using Lab.Checker.Sql;
using Lab.Checker.Verification;
using Npgsql;

namespace Lab.Checker.Checks.AtLeastOnce;

/// <summary>
/// 06: the learner's consumer applies payments to a ledger. The checker runs it in its own process and kills it four
/// times, at each boundary of the loop: while it writes the effect, while it writes its dedup mark, just before a
/// commit, and just after one. Passes when, after a final run to the end, the ledger holds every payment exactly once.
/// </summary>
public sealed class AtLeastOnceCheck : IExerciseCheck
{
    public const int Partitions = 3;
    public const int BatchSize = 60;
    public const int Batches = 3;
    private const string LearnerFile = "PaymentsConsumer.cs";
    private const int DieAtCommitAfter = 10;
    private static readonly TimeSpan s_stallTimeout = CrashRun.StallTimeout;

    public string Id => "at-least-once";

    public async Task<CheckResult> VerifyAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var (learner, failure) = LearnerAssembly.Load(context);
        if (failure is not null)
        {
            return failure;
        }

        byte[] image;
        ConsumerConfig configured;
        using (learner)
        {
            var shape = ShapeProblem(learner!.Assembly, context);
            if (shape is not null)
            {
                return CheckResult.Fail(shape);
            }

            image = learner.Image;
            configured = ConsumerHost.BaseConfig("localhost:9092", "shape");
            try
            {
                Method(learner.Assembly, "Configure")!.Invoke(null, [configured]);
            }
            catch (TargetInvocationException ex)
            {
                return CheckResult.Fail(new Report().Failure($"Configure threw {ex.InnerException?.GetType().Name}: {ex.InnerException?.Message}"));
            }
        }

        using var assemblyFile = await LearnerAssemblyFile.WriteAsync(context, image, cancellationToken);
        var run = new CrashRun(context, assemblyFile.AssemblyPath, autoCommit: configured.EnableAutoCommit != false);
        var phases = await run.RunAsync(cancellationToken);
        return await JudgeAsync(context, run, phases, configured, cancellationToken);
    }

    public async Task<string> ResetAsync(CheckContext context, CancellationToken cancellationToken)
    {
        await using var connection = await context.Infrastructure.LabDb.OpenConnectionAsync(cancellationToken);
        await using var drop = new NpgsqlCommand("DROP SCHEMA IF EXISTS lab06 CASCADE", connection);
        await drop.ExecuteNonQueryAsync(cancellationToken);
        return $"Schema lab06 is gone (verify recreates it). {LabKafka.Describe(await LabKafka.DeleteTopicsAsync(context.Infrastructure, 6), 6)}";
    }

    /// <summary>The payments, the same every run: three batches of 60 over 12 accounts.</summary>
    public static IReadOnlyList<Payment> Payments() =>
        Enumerable.Range(0, Batches * BatchSize)
            .Select(i => new Payment(new Guid(i + 1, 6, 6, [0, 0, 0, 0, 0, 0, 0, 6]), $"acc-{(i % 12) + 1:00}", 1000 + (37 * i % 900)))
            .ToList();

    private static MethodInfo? Method(Assembly assembly, string name) => LearnerCompiler.FindMethod(assembly, "PaymentsConsumer", name);

    private static Report? ShapeProblem(Assembly assembly, CheckContext context)
    {
        var configure = Method(assembly, "Configure");
        var run = Method(assembly, "RunAsync");
        var configureOk = configure is not null && configure.GetParameters() is [{ ParameterType: var c }] && c == typeof(ConsumerConfig);
        var runOk = run is not null && typeof(Task).IsAssignableFrom(run.ReturnType) && run.GetParameters() is [{ ParameterType: var a }, { ParameterType: var b }, { ParameterType: var d }]
            && a == typeof(IConsumer<string, string>) && b == typeof(NpgsqlDataSource) && d == typeof(CancellationToken);
        return configureOk && runOk
            ? null
            : new Report()
                .Failure($"{context.DisplayPath(LearnerFile)} must keep the two methods the checker calls, in public static class PaymentsConsumer:")
                .Evidence([
                    "public static void Configure(ConsumerConfig config)",
                    "public static async Task RunAsync(IConsumer<string, string> consumer, NpgsqlDataSource ledger, CancellationToken cancellationToken)",
                ], 4)
                .Line("  Change what they do, not their shape.");
    }

    private static async Task<CheckResult> JudgeAsync(
        CheckContext context, CrashRun run, IReadOnlyList<PhaseResult> phases, ConsumerConfig configured, CancellationToken cancellationToken)
    {
        var report = new Report();
        var error = phases.FirstOrDefault(phase => phase.Outcome == PhaseOutcome.Crashed);
        if (error is not null)
        {
            return CheckResult.Fail(report.Failure($"Your consumer stopped with an error on its own (run {error.Number}):")
                .Evidence(error.Errors.Split('\n').Take(6), 4));
        }

        var ledger = await LedgerAsync(context, cancellationToken);
        var payments = Payments();
        var lost = payments.Where(payment => ledger.Rows.GetValueOrDefault(payment.EventId) == 0).ToList();
        var twice = payments.Where(payment => ledger.Rows.GetValueOrDefault(payment.EventId) > 1).ToList();
        var final = phases[^1];

        if (ledger.Rows.Count == 0)
        {
            return CheckResult.Fail(report.Failure($"Your consumer wrote nothing to ledger_entries in {s_stallTimeout.TotalSeconds:0} s of running.")
                .Line("  Each payment read from Kafka must become one row in ledger_entries (event_id, account_id, amount_cents)."));
        }

        if (lost.Count > 0)
        {
            var first = phases[0];
            var target = run.EffectCrashTarget;
            report.Failure($"{lost.Count} of {payments.Count} payments {(lost.Count == 1 ? "was" : "were")} lost: {(lost.Count == 1 ? "it is" : "they are")} not in ledger_entries.")
                .Evidence(lost.Take(4).Select(payment => $"payment {payment.EventId} ({payment.AccountId}, {Money(payment.AmountCents)})"), 4);
            var afterCommit = phases.FirstOrDefault(phase => phase.Outcome == PhaseOutcome.DiedAfterCommit);
            var committedThenLost = afterCommit?.CommittedAtDeath?
                .Select(position => run.PaymentAt(position.Partition, position.Offset - 1))
                .Where(payment => payment is not null && lost.Any(gone => gone.EventId == payment.EventId))
                .ToList() ?? [];
            if (first.Outcome == PhaseOutcome.KilledAtCrashPoint && lost.Any(payment => payment.EventId == target.EventId))
            {
                report.Line($"  Crash 1 killed your consumer while it wrote the ledger row of payment {target.EventId}.");
                if (ledger.Marked.Contains(target.EventId))
                {
                    report.Line("  Its processed_events row had already been committed on its own, so the restarted consumer skipped it as")
                        .Line("  done: the mark and the effect must commit in one transaction, or not at all.");
                }
                else
                {
                    report.Line("  Its offset had already been committed, so the restarted consumer resumed after it.")
                        .Line(configured.EnableAutoCommit != false
                            ? "  Your Configure leaves EnableAutoCommit on: Kafka then commits, in the background, whatever was consumed,\n  done or not. Turn it off and commit after your transaction has committed."
                            : "  Commit an offset only after the work it covers is durable: after the transaction's CommitAsync.");
                }
            }
            else if (committedThenLost.Count > 0)
            {
                report.Line($"  Crash 4 killed your consumer just after its commit of payment {committedThenLost[0]!.EventId}'s offset reached Kafka, before your")
                    .Line("  code went on. That payment's ledger row was not committed yet: your transaction was still open, so the crash")
                    .Line("  rolled it back, while Kafka already had the offset as done. The restarted consumer resumed after it.")
                    .Line("  Commit the offset after the transaction's CommitAsync, never inside the transaction.");
            }
            else
            {
                report.Line("  Their offsets were committed before their ledger rows were: commit after the work is durable.");
            }

            return CheckResult.Fail(report.Blank().Append(Story(run, phases)));
        }

        if (twice.Count > 0)
        {
            var markTarget = run.MarkCrashTarget;
            report.Failure($"{twice.Count} of {payments.Count} payments {(twice.Count == 1 ? "was" : "were")} applied more than once: ledger_entries holds several rows for {(twice.Count == 1 ? "it" : "them")}.")
                .Evidence(twice.Take(4).Select(payment => $"payment {payment.EventId} ({payment.AccountId}): {ledger.Rows[payment.EventId]} rows"), 4);
            if (phases[1].Outcome == PhaseOutcome.KilledAtCrashPoint && twice.Any(payment => payment.EventId == markTarget.EventId))
            {
                report.Line($"  Crash 2 killed your consumer while it wrote the processed_events row of payment {markTarget.EventId},")
                    .Line("  after that payment's ledger row had been committed on its own: the restart found no mark and applied it again.")
                    .Line("  Write the mark and the ledger row in one transaction.");
            }
            else if (ledger.Marked.Count == 0)
            {
                report.Line("  After a crash, Kafka delivers again what was not committed, and your consumer applied those payments a")
                    .Line("  second time: nothing remembers which payments were applied. In the same transaction as the ledger row,")
                    .Line("  record the event id in processed_events, and skip a payment whose id is already there.");
            }
            else
            {
                report.Line("  Redelivered payments were applied again although processed_events knew them: check for the mark and write")
                    .Line("  the ledger row in the same transaction, and skip the payment when the mark is there.");
            }

            return CheckResult.Fail(report.Blank().Append(Story(run, phases)));
        }

        if (final.Outcome != PhaseOutcome.Completed)
        {
            var ends = final.Ends;
            var never = final.Committed.All(offset => offset < 0);
            var oneShort = !never && final.Committed.Select((offset, partition) => (offset, end: ends[partition]))
                .All(pair => pair.end == 0 || pair.offset == pair.end - 1);
            report.Failure(never
                    ? "Every payment is in the ledger once, but your consumer never committed an offset."
                    : "Every payment is in the ledger once, but your consumer's committed offsets never reached the end of the topic.")
                .Evidence(final.Committed.Select((offset, partition) => $"partition {partition}: committed {(offset < 0 ? "nothing" : offset.ToString(CultureInfo.InvariantCulture))}, end of the partition {ends[partition]}"), 4);
            if (oneShort)
            {
                report.Line("  Each committed offset is one short of the end: your consumer commits the offset of the message it processed.")
                    .Line("  A committed offset names the next message to read, so after a restart the last one is delivered again.")
                    .Line("  Commit result.Offset + 1: consumer.Commit(result) does that for you; Commit(new[] { result.TopicPartitionOffset })")
                    .Line("  does not.");
            }
            else
            {
                report.Line("  After a restart it would read everything again from its last commit. Commit each offset after its payment is")
                    .Line("  applied (consumer.Commit(result), which commits the next offset to read, result.Offset + 1), or store it")
                    .Line("  (StoreOffset) and let auto-commit send what you stored.");
            }

            return CheckResult.Fail(report);
        }

        return CheckResult.Pass(report
            .Success($"Every one of the {payments.Count} payments is in the ledger exactly once, after four crashes:")
            .Append(Story(run, phases))
            .Success("Offsets were committed after the work: a crash right after a commit lost nothing, and the last run ended with every")
            .Line("  partition committed to its end.")
            .Blank()
            .Line("What you learned: a consumer crash between doing the work and committing its offset is a matter of time.")
            .Line("Commit after the work and a crash repeats some of it (at-least-once); make the repeat harmless by recording")
            .Line("what was applied in the same transaction as the effect, and skipping what is already recorded.")
            .Muted("(In native mode Kafka is librdkafka's in-memory mock cluster: the Kafka protocol without retention;")
            .Muted(" each verify uses a fresh topic lab.06.<run>, and the restarted consumer resumes from the committed offsets.)")
            .Line("Read more: https://docs.confluent.io/platform/current/clients/consumer.html#offset-management,")
            .Line("  https://microservices.io/patterns/communication-style/idempotent-consumer.html"));
    }

    private static Report Story(CrashRun run, IReadOnlyList<PhaseResult> phases)
    {
        var report = new Report().Line("  What the checker did:");
        foreach (var phase in phases)
        {
            var what = (phase.Number, phase.Outcome) switch
            {
                (_, PhaseOutcome.Stalled) => $"restarted it; it stopped making progress (no new ledger row, no new commit for {s_stallTimeout.TotalSeconds:0} s, or no start within 25 s)",
                (1, PhaseOutcome.KilledAtCrashPoint) => $"killed your consumer while it wrote the ledger row of payment {run.EffectCrashTarget.EventId}",
                (2, PhaseOutcome.KilledAtCrashPoint) => $"killed it while it wrote the processed_events row of payment {run.MarkCrashTarget.EventId}",
                (2, PhaseOutcome.Completed) => "waited for a processed_events row to kill it at; your consumer wrote none, so this run went to the end",
                (3, PhaseOutcome.DiedBeforeCommit) => $"killed it just as it called Commit (or StoreOffset), after {DieAtCommitAfter} messages: the work done, the commit lost",
                (3, PhaseOutcome.Completed) => "waited for a Commit (or StoreOffset) call to kill it at; your consumer made none, so this run went to the end",
                (4, PhaseOutcome.DiedAfterCommit) => "killed it just after a Commit had reached Kafka, before your code went on",
                (4, PhaseOutcome.Completed) => "waited for a Commit (or a stored offset) to kill it after; your consumer made none, so this run went to the end",
                (_, PhaseOutcome.Completed) => "restarted it and let it run to the end of the topic",
                (_, var outcome) => outcome.ToString(),
            };
            report.Line($"    {phase.Number}. {what} ({PlanText.Count(phase.LedgerRows)} ledger rows after).");
        }

        return report;
    }

    private static async Task<Ledger> LedgerAsync(CheckContext context, CancellationToken cancellationToken)
    {
        await using var connection = await context.Infrastructure.LabDb.OpenConnectionAsync(cancellationToken);
        var rows = new Dictionary<Guid, int>();
        await using (var command = new NpgsqlCommand("SELECT event_id, count(*)::int FROM lab06.ledger_entries GROUP BY event_id", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows[reader.GetGuid(0)] = reader.GetInt32(1);
            }
        }

        var marked = new HashSet<Guid>();
        await using (var command = new NpgsqlCommand("SELECT event_id FROM lab06.processed_events", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                marked.Add(reader.GetGuid(0));
            }
        }

        return new Ledger(rows, marked);
    }

    private static string Money(long cents) => (cents / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    private sealed record Ledger(Dictionary<Guid, int> Rows, HashSet<Guid> Marked);
}
