using Confluent.Kafka;
using Lab.Checker.Infrastructure;
using Lab.Checker.Processes;
using Lab.Checker.Sql;
using Lab.Checker.Verification;
using Npgsql;

namespace Lab.Checker.Checks.AtLeastOnce;

public enum PhaseOutcome
{
    /// <summary>Killed while its insert hung at a crash point (the effect or the dedup mark).</summary>
    KilledAtCrashPoint,

    /// <summary>Died at a Commit call, the work done and the commit lost.</summary>
    DiedBeforeCommit,

    /// <summary>Died just after a Commit (or a stored offset's commit) reached Kafka, before the code went on.</summary>
    DiedAfterCommit,

    /// <summary>Everything consumed was committed and the ledger stopped changing: stopped by the checker.</summary>
    Completed,

    /// <summary>No new ledger row and no new commit for a while: stopped by the checker.</summary>
    Stalled,

    /// <summary>The learner's code threw.</summary>
    Crashed,
}

/// <param name="CommittedAtDeath">Run 4: the offsets (partition, offset) the commit had just sent when the process died.</param>
public sealed record PhaseResult(
    int Number, PhaseOutcome Outcome, string Errors, long LedgerRows, long[] Committed, long[] Ends, IReadOnlyList<(int Partition, long Offset)>? CommittedAtDeath = null);

/// <summary>
/// The five runs of exercise 06's consumer, one crash at each boundary of its loop: (1) killed while writing a
/// payment's ledger row, (2) killed while writing a payment's processed_events row, (3) killed at a Commit call, the
/// work done and the commit lost, (4) killed just after a Commit reached Kafka, before anything else, (5) run to the
/// end. New payments are produced before each of the first three, so every run has fresh work; each restart resumes
/// from the committed offsets.
/// </summary>
public sealed class CrashRun(CheckContext context, string assemblyPath, bool autoCommit)
{
    /// <summary>How long a run may go without a new ledger row or commit before the checker calls it stuck.</summary>
    public static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(8);

    private readonly IReadOnlyList<Payment> _payments = AtLeastOnceCheck.Payments();
    private readonly Dictionary<(int Partition, long Offset), Payment> _positions = [];

    public Payment EffectCrashTarget => _payments[AtLeastOnceCheck.BatchSize / 2];

    public Payment MarkCrashTarget => _payments[AtLeastOnceCheck.BatchSize + (AtLeastOnceCheck.BatchSize / 2)];

    public async Task<IReadOnlyList<PhaseResult>> RunAsync(CancellationToken cancellationToken)
    {
        var infrastructure = context.Infrastructure;
        await ResetSchemaAsync(cancellationToken);
        var topic = $"{LabKafka.TopicPrefix(6)}{context.RunId}";
        await LabKafka.CreateTopicAsync(infrastructure, topic, AtLeastOnceCheck.Partitions);
        using var offsets = new Offsets(infrastructure.KafkaBootstrapServers, topic, AtLeastOnceCheck.Partitions);
        using var producer = new ProducerBuilder<string, string>(LabKafka.ProducerConfig(infrastructure.KafkaBootstrapServers)).SetLogHandler((_, _) => { }).Build();
        var phases = new List<PhaseResult>();
        string? previousGroup = null;
        for (var number = 1; number <= 5; number++)
        {
            if (number <= AtLeastOnceCheck.Batches)
            {
                await ProduceAsync(producer, topic, _payments.Skip((number - 1) * AtLeastOnceCheck.BatchSize).Take(AtLeastOnceCheck.BatchSize), cancellationToken);
            }

            var group = $"{topic}.run{number}";
            if (previousGroup is not null)
            {
                offsets.Copy(previousGroup, group);
            }

            context.Status(number switch
            {
                1 => "Run 1: your consumer, killed while it writes a ledger row...",
                2 => "Run 2: restarted, killed while it writes a processed_events row...",
                3 => "Run 3: restarted, killed as it commits...",
                4 => "Run 4: restarted, killed just after a commit...",
                _ => "Run 5: restarted, to the end...",
            });
            var phase = await RunPhaseAsync(number, topic, group, offsets, cancellationToken);
            phases.Add(phase);
            previousGroup = group;
            if (phase.Outcome == PhaseOutcome.Crashed)
            {
                break;
            }
        }

        return phases;
    }

    private async Task<PhaseResult> RunPhaseAsync(int number, string topic, string group, Offsets offsets, CancellationToken cancellationToken)
    {
        await using var connection = await context.Infrastructure.LabDb.OpenConnectionAsync(cancellationToken);
        var crashPoint = number switch
        {
            1 => (EffectCrashTarget.EventId, "effect"),
            2 => (MarkCrashTarget.EventId, "mark"),
            _ => ((Guid, string)?)null,
        };
        if (crashPoint is { } point)
        {
            await ExecuteAsync(connection, $"INSERT INTO lab06.crash_points (event_id, at) VALUES ('{point.Item1}', '{point.Item2}')", cancellationToken);
        }

        var ends = offsets.Ends(group);
        using var process = ConsumerHost.Start(
            assemblyPath,
            topic,
            group,
            number == 3 ? 10 : 0,
            number == 4 ? 10 : 0,
            context.Infrastructure.LabDbConnectionString(ConsumerHost.ApplicationName),
            context.Infrastructure.KafkaBootstrapServers);
        var started = DateTime.UtcNow;
        var lastProgress = started;
        var lastRows = -1L;
        var lastCommitted = string.Empty;
        var stableChecks = 0;
        try
        {
            while (DateTime.UtcNow - started < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(100, cancellationToken);
                if (process.HasExited)
                {
                    var errors = process.Errors;
                    if (errors.Contains(CrashingConsumer.DiedAfterCommit, StringComparison.Ordinal))
                    {
                        var result = await EndAsync(number, PhaseOutcome.DiedAfterCommit, string.Empty, connection, offsets, group, process, cancellationToken);
                        return result with { CommittedAtDeath = CommittedAtDeath(errors) };
                    }

                    return errors.Contains(CrashingConsumer.DiedBeforeCommit, StringComparison.Ordinal)
                        ? await EndAsync(number, PhaseOutcome.DiedBeforeCommit, string.Empty, connection, offsets, group, process, cancellationToken)
                        : await EndAsync(number, PhaseOutcome.Crashed, ExitReason(errors, process.ExitCode), connection, offsets, group, process, cancellationToken);
                }

                if (crashPoint is not null && await ChildProcessSessions.SleepingAsync(connection, ConsumerHost.ApplicationName, cancellationToken))
                {
                    // With auto-commit on, give it every chance to commit what was consumed (it runs every 200 ms), then kill.
                    if (autoCommit)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                    }

                    await ExecuteAsync(connection, "DELETE FROM lab06.crash_points", cancellationToken);
                    await process.KillAsync();
                    return await EndAsync(number, PhaseOutcome.KilledAtCrashPoint, string.Empty, connection, offsets, group, process, cancellationToken);
                }

                var rows = await CountAsync(connection, cancellationToken);
                var committed = offsets.Committed(group);
                var committedText = string.Join(',', committed);
                if (rows != lastRows || committedText != lastCommitted)
                {
                    lastProgress = DateTime.UtcNow;
                    stableChecks = 0;
                }
                else if (committed.SequenceEqual(ends))
                {
                    stableChecks++;
                }

                lastRows = rows;
                lastCommitted = committedText;
                if (stableChecks >= 5)
                {
                    return await EndAsync(number, PhaseOutcome.Completed, string.Empty, connection, offsets, group, process, cancellationToken);
                }

                // Until the first ledger row the process may still be starting (a busy machine): allow it longer.
                var allowed = lastRows > 0 ? StallTimeout : TimeSpan.FromSeconds(25);
                if (DateTime.UtcNow - lastProgress > allowed)
                {
                    break;
                }
            }

            return await EndAsync(number, PhaseOutcome.Stalled, string.Empty, connection, offsets, group, process, cancellationToken);
        }
        finally
        {
            await ExecuteAsync(connection, "DELETE FROM lab06.crash_points", CancellationToken.None);
        }
    }

    /// <summary>Stops the consumer if it still runs and ends its database sessions, which rolls back any open transaction.</summary>
    private static async Task<PhaseResult> EndAsync(
        int number, PhaseOutcome outcome, string errors, NpgsqlConnection connection, Offsets offsets, string group, CheckerChildProcess process, CancellationToken cancellationToken)
    {
        await process.KillAsync();
        await ChildProcessSessions.EndAsync(connection, ConsumerHost.ApplicationName, cancellationToken);
        return new PhaseResult(number, outcome, errors, await CountAsync(connection, cancellationToken), offsets.Committed(group), offsets.Ends(group));
    }

    /// <summary>The payment at (partition, offset), as produced by this run; null when it is not one of them.</summary>
    public Payment? PaymentAt(int partition, long offset) => _positions.GetValueOrDefault((partition, offset));

    private static List<(int, long)> CommittedAtDeath(string errors)
    {
        var line = errors.Split('\n').First(text => text.Contains(CrashingConsumer.DiedAfterCommit, StringComparison.Ordinal));
        return line[(line.IndexOf(CrashingConsumer.DiedAfterCommit, StringComparison.Ordinal) + CrashingConsumer.DiedAfterCommit.Length)..]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split(':'))
            .Where(pair => pair.Length == 2)
            .Select(pair => (int.Parse(pair[0], System.Globalization.CultureInfo.InvariantCulture), long.Parse(pair[1], System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
    }

    private static string ExitReason(string errors, int exitCode) =>
        errors.Length > 0 ? errors
        : exitCode == 0 ? "RunAsync returned: the consume loop has to keep running until the process is stopped."
        : $"The process exited with code {exitCode}.";

    private static async Task<long> CountAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT count(*) FROM lab06.ledger_entries", connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task ProduceAsync(IProducer<string, string> producer, string topic, IEnumerable<Payment> payments, CancellationToken cancellationToken)
    {
        foreach (var payment in payments)
        {
            var delivered = await producer.ProduceAsync(topic, new Message<string, string> { Key = payment.AccountId, Value = payment.ToJson() }, cancellationToken);
            _positions[(delivered.Partition.Value, delivered.Offset.Value)] = payment;
        }
    }

    private async Task ResetSchemaAsync(CancellationToken cancellationToken)
    {
        await using var connection = await context.Infrastructure.LabDb.OpenConnectionAsync(cancellationToken);
        foreach (var statement in SqlScript.Split(SqlResources.Read("Checks/AtLeastOnce/schema.sql")))
        {
            await ExecuteAsync(connection, statement.Text, cancellationToken);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
