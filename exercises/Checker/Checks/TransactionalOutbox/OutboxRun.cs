using System.Diagnostics;
using System.Reflection;
using System.Text;
using Confluent.Kafka;
using Lab.Checker.Infrastructure;
using Lab.Checker.Processes;
using Lab.Checker.Verification;
using Npgsql;

namespace Lab.Checker.Checks.TransactionalOutbox;

/// <summary>One call of the learner's write path: the order, whether the checker made its commit fail, the phase, and what the call said.</summary>
public sealed record WriteAttempt(Order Order, bool Doomed, string Phase, TimeSpan At, TimeSpan Took, string? Error);

/// <summary>One message read back from the topic, with who published it (the relay's number, or 0 for anyone else) and when.</summary>
public sealed record Published(int Partition, long Offset, string? Key, string Value, OrderPlaced? Event, int Relay, DateTime Timestamp);

/// <summary>Something the checker did to the relays or to Kafka, and when (UTC, as message timestamps are).</summary>
public sealed record Fault(string What, DateTime At);

/// <summary>Everything exercise 11's run produced, for the verdict.</summary>
public sealed record OutboxResult(
    IReadOnlyList<WriteAttempt> Writes,
    IReadOnlyList<Guid> Committed,
    IReadOnlyList<Published> Messages,
    IReadOnlyList<Fault> Faults,
    IReadOnlyDictionary<Guid, DateTime?> OutboxRows,
    (int Waiting, int Samples) LockWaits,
    bool KilledAfterAck,
    string RelayErrors);

/// <summary>
/// Exercise 11's run, against the check's own Kafka cluster: orders written while a relay runs; a relay killed the moment
/// Kafka acknowledged its fifth message (published, not yet marked) and restarted; two relays at once under a burst of
/// orders (their lock waits sampled); Kafka down while orders keep coming and a relay is killed; Kafka back. Some
/// writes are made to fail at their commit. Then the whole topic is read back.
/// </summary>
public sealed class OutboxRun(CheckContext context, MethodInfo placeOrder, string assemblyPath, PrivateKafkaCluster kafka, string topic, int seed) : IAsyncDisposable
{
    public const int Customers = 12;
    private static readonly TimeSpan s_drainTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan s_writeTimeout = TimeSpan.FromSeconds(10);
    private readonly Random _random = new(seed);
    private readonly List<WriteAttempt> _writes = [];
    private readonly List<Fault> _faults = [];
    private readonly Dictionary<int, CheckerChildProcess> _relays = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, bool> _ready = new();
    private readonly int[] _sequences = new int[Customers];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly StringBuilder _relayErrors = new();
    private NpgsqlDataSource? _writer;
    private NpgsqlDataSource? _checker;
    private IProducer<string, string>? _producer;
    private bool _killedAfterAck;

    private CheckContext Context => context;

    /// <summary>A call of the write path did not answer in time.</summary>
    private bool Hung
    {
        get
        {
            lock (_writes)
            {
                return _writes.Any(write => write.Error?.StartsWith("no answer", StringComparison.Ordinal) == true);
            }
        }
    }

    public async Task<OutboxResult> RunAsync(CancellationToken cancellationToken)
    {
        var infrastructure = Context.Infrastructure;
        _writer = NpgsqlDataSource.Create(infrastructure.LabDbConnectionString("lab11-writer", TransactionalOutboxCheck.Schema));
        _checker = NpgsqlDataSource.Create(infrastructure.LabDbConnectionString("lab-checker", TransactionalOutboxCheck.Schema));
        _producer = new ProducerBuilder<string, string>(RelayHost.ProducerConfig(kafka.BootstrapServers)).SetLogHandler((_, _) => { }).Build();

        Context.Status("Orders, with one relay running...");
        StartRelay(1);
        await WriteAsync("one relay", 48, writers: 4, cancellationToken);
        if (Hung)
        {
            return await ResultAsync(null, cancellationToken);
        }

        await DrainAsync(cancellationToken);

        Context.Status("A relay killed just after Kafka acknowledged a message...");
        await StopRelayAsync(1);
        var dying = StartRelay(2, dieAfterAcks: 5);
        await WriteAsync("relay killed after an acknowledgement", 36, writers: 4, cancellationToken);
        // Until it dies at its fifth acknowledgement, or the outbox has nothing left for it to publish.
        var clock = Stopwatch.StartNew();
        while (!dying.HasExited && clock.Elapsed < TimeSpan.FromSeconds(10) && await UnpublishedAsync(cancellationToken) > 0)
        {
            await Task.Delay(20, cancellationToken);
        }

        _killedAfterAck = dying.HasExited && dying.Errors.Contains(RelayProducer.KilledAfterAck, StringComparison.Ordinal);
        if (_killedAfterAck)
        {
            _faults.Add(new Fault("relay 2 killed after an acknowledgement", DateTime.UtcNow));
        }

        await StopRelayAsync(2);
        StartRelay(3);
        await DrainAsync(cancellationToken);

        Context.Status("A backlog, and two relays at once...");
        await StopRelayAsync(3);
        await WriteAsync("two relays", 240, writers: 6, cancellationToken);
        (int Waiting, int Samples) waits;
        await using (var gate = await _checker!.OpenConnectionAsync(cancellationToken))
        {
            // The checker holds the outbox until both relays are up, so that they start on the backlog together (a claim
            // with FOR UPDATE waits for this lock; plain reads do not).
            await using var hold = await gate.BeginTransactionAsync(cancellationToken);
            await using (var lockTable = new NpgsqlCommand("LOCK TABLE outbox IN EXCLUSIVE MODE", gate, hold))
            {
                await lockTable.ExecuteNonQueryAsync(cancellationToken);
            }

            StartRelay(4);
            StartRelay(5);
            await WaitForRelaysAsync([4, 5], cancellationToken);
            await Task.Delay(500, cancellationToken);
            await hold.CommitAsync(cancellationToken);
            waits = await WithLockSamplesAsync(() => DrainAsync(cancellationToken), cancellationToken);
        }

        Context.Status("Kafka down while orders keep coming; a relay killed meanwhile...");
        kafka.TakeBrokersDown();
        _faults.Add(new Fault("Kafka down", DateTime.UtcNow));
        await WriteAsync("Kafka down", 24, writers: 8, cancellationToken);
        await Task.Delay(1500, cancellationToken);
        await StopRelayAsync(5);
        _faults.Add(new Fault("relay 5 killed while Kafka was down", DateTime.UtcNow));
        kafka.BringBrokersUp();
        _faults.Add(new Fault("Kafka back", DateTime.UtcNow));
        StartRelay(6);
        await DrainAsync(cancellationToken);
        await Task.Delay(500, cancellationToken);
        return await ResultAsync(waits, cancellationToken);
    }

    private async Task<OutboxResult> ResultAsync((int Waiting, int Samples)? waits, CancellationToken cancellationToken)
    {
        foreach (var relay in _relays.Keys.ToList())
        {
            await StopRelayAsync(relay);
        }

        Context.Status("Reading the topic back...");
        return new OutboxResult(
            _writes,
            await CommittedAsync(cancellationToken),
            ReadTopic(),
            _faults,
            await OutboxRowsAsync(cancellationToken),
            waits ?? (0, 0),
            _killedAfterAck,
            _relayErrors.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var relay in _relays.Values)
        {
            relay.Dispose();
        }

        _producer?.Dispose();
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
        }

        if (_checker is not null)
        {
            await _checker.DisposeAsync();
        }
    }

    private CheckerChildProcess StartRelay(int relay, int dieAfterAcks = 0)
    {
        var process = RelayHost.Start(assemblyPath, topic, kafka.BootstrapServers, relay, dieAfterAcks,
            Context.Infrastructure.LabDbConnectionString($"{RelayHost.ApplicationPrefix}{relay}"),
            line =>
            {
                if (line == RelayHost.Ready)
                {
                    _ready[relay] = true;
                }
            });
        _relays[relay] = process;
        return process;
    }

    /// <summary>SIGKILL, as a crash: whatever the relay held (locks, a transaction, messages in its producer's queue) goes with it.</summary>
    private async Task StopRelayAsync(int relay)
    {
        if (!_relays.Remove(relay, out var process))
        {
            return;
        }

        await process.KillAsync();
        var errors = process.Errors.Replace(RelayProducer.KilledAfterAck, string.Empty, StringComparison.Ordinal).Trim();
        if (errors.Length > 0 && _relayErrors.Length < 4000)
        {
            _relayErrors.AppendLine(errors);
        }

        process.Dispose();
        await using var connection = await _checker!.OpenConnectionAsync();
        await Processes.ChildProcessSessions.EndAsync(connection, $"{RelayHost.ApplicationPrefix}{relay}", CancellationToken.None);
    }

    /// <summary>
    /// <paramref name="count"/> orders by several writers at once, each writer placing its customers' orders one after
    /// another (so a customer's order is its commit order); one in eight is made to fail at its commit.
    /// </summary>
    private async Task WriteAsync(string phase, int count, int writers, CancellationToken cancellationToken)
    {
        var orders = new List<(Order Order, bool Doomed)>();
        for (var i = 0; i < count; i++)
        {
            var customer = i % Customers;
            var order = new Order(Guid.NewGuid(), $"customer-{customer + 1:00}", ++_sequences[customer], 500 + _random.Next(20_000));
            orders.Add((order, _random.Next(8) == 0));
        }

        var doomed = orders.Where(order => order.Doomed).Select(order => order.Order.Id).ToArray();
        if (doomed.Length > 0)
        {
            await using var mark = _checker!.CreateCommand("INSERT INTO doomed_orders (order_id) SELECT unnest($1::uuid[])");
            mark.Parameters.AddWithValue(doomed);
            await mark.ExecuteNonQueryAsync(cancellationToken);
        }

        var lanes = Enumerable.Range(0, writers).Select(lane => Task.Run(async () =>
        {
            foreach (var (order, isDoomed) in orders.Where(order => (int.Parse(order.Order.CustomerId[^2..], System.Globalization.CultureInfo.InvariantCulture) - 1) % writers == lane))
            {
                // A write path that hangs has said what it will say: no need to wait out every other order.
                if (Hung)
                {
                    return;
                }

                var attempt = await PlaceAsync(order, isDoomed, phase);
                lock (_writes)
                {
                    _writes.Add(attempt);
                }
            }
        }, cancellationToken));
        await Task.WhenAll(lanes);
    }

    private async Task<WriteAttempt> PlaceAsync(Order order, bool doomed, string phase)
    {
        var at = _clock.Elapsed;
        var took = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(s_writeTimeout);
        try
        {
            await ((Task)placeOrder.Invoke(null, [order, _writer!, _producer!, topic, timeout.Token])!).WaitAsync(s_writeTimeout + TimeSpan.FromSeconds(1));
            return new WriteAttempt(order, doomed, phase, at, took.Elapsed, null);
        }
        catch (Exception ex)
        {
            var error = ex is TargetInvocationException { InnerException: { } inner } ? inner : ex;
            var message = error is TimeoutException or OperationCanceledException ? $"no answer within {s_writeTimeout.TotalSeconds:0} s" : $"{error.GetType().Name}: {error.Message.Split('\n')[0].Trim()}";
            return new WriteAttempt(order, doomed, phase, at, took.Elapsed, message);
        }
    }

    private async Task<long> UnpublishedAsync(CancellationToken cancellationToken)
    {
        await using var count = _checker!.CreateCommand("SELECT count(*) FROM outbox WHERE published_at IS NULL");
        return (long)(await count.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Waits until the outbox has no unpublished row for a moment (or it has none at all), at most 20 s.</summary>
    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var quiet = 0;
        while (clock.Elapsed < s_drainTimeout && quiet < 3)
        {
            quiet = await UnpublishedAsync(cancellationToken) == 0 ? quiet + 1 : 0;
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Waits until each relay has loaded the learner's code and is about to make its first pass, at most 15 s: process start-up is not the learner's.</summary>
    private async Task WaitForRelaysAsync(int[] relays, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(15) && !relays.All(relay => _ready.ContainsKey(relay)))
        {
            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>Runs <paramref name="work"/> while sampling how often a relay waits for a lock another one holds.</summary>
    private async Task<(int Waiting, int Samples)> WithLockSamplesAsync(Func<Task> work, CancellationToken cancellationToken)
    {
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            var (waiting, samples) = (0, 0);
            await using var connection = await _checker!.OpenConnectionAsync(CancellationToken.None);
            await using var sample = new NpgsqlCommand(
                """
                SELECT count(*) FILTER (WHERE wait_event_type = 'Lock'), count(*) FILTER (WHERE state = 'active')
                FROM pg_stat_activity WHERE application_name LIKE 'lab11-relay-%'
                """,
                connection);
            while (!stop.IsCancellationRequested)
            {
                await using (var reader = await sample.ExecuteReaderAsync(CancellationToken.None))
                {
                    await reader.ReadAsync(CancellationToken.None);
                    if (reader.GetInt64(1) > 0)
                    {
                        samples++;
                        waiting += reader.GetInt64(0) > 0 ? 1 : 0;
                    }
                }

                await Task.Delay(10, CancellationToken.None);
            }

            return (waiting, samples);
        }, CancellationToken.None);
        try
        {
            await work();
        }
        finally
        {
            await stop.CancelAsync();
        }

        return await sampler;
    }

    private async Task<IReadOnlyList<Guid>> CommittedAsync(CancellationToken cancellationToken)
    {
        await using var command = _checker!.CreateCommand("SELECT id FROM orders");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    /// <summary>For each order the outbox has an event of (by the payload's order id, when it parses): when it was marked published.</summary>
    private async Task<IReadOnlyDictionary<Guid, DateTime?>> OutboxRowsAsync(CancellationToken cancellationToken)
    {
        await using var command = _checker!.CreateCommand("SELECT payload, published_at FROM outbox");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new Dictionary<Guid, DateTime?>();
        while (await reader.ReadAsync(cancellationToken))
        {
            try
            {
                rows[OrderPlaced.Parse(reader.GetString(0)).OrderId] = reader.IsDBNull(1) ? null : reader.GetDateTime(1);
            }
            catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException)
            {
                // Not an event the checker can read; the topic says the rest.
            }
        }

        return rows;
    }

    private List<Published> ReadTopic()
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = $"lab11-checker-{seed}",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        };
        using var consumer = new ConsumerBuilder<string, string>(config).SetLogHandler((_, _) => { }).Build();
        var partitions = Enumerable.Range(0, TransactionalOutboxCheck.Partitions).Select(partition => new TopicPartition(topic, partition)).ToList();
        var ends = partitions.ToDictionary(partition => partition.Partition.Value, partition => consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(5)).High.Value);
        consumer.Assign(partitions.Select(partition => new TopicPartitionOffset(partition, Offset.Beginning)));
        var messages = new List<Published>();
        var clock = Stopwatch.StartNew();
        var positions = ends.Keys.ToDictionary(partition => partition, _ => 0L);
        while (positions.Any(position => position.Value < ends[position.Key]) && clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message is null)
            {
                continue;
            }

            positions[result.Partition.Value] = result.Offset.Value + 1;
            OrderPlaced? parsed = null;
            try
            {
                parsed = result.Message.Value is { } value ? OrderPlaced.Parse(value) : null;
            }
            catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException)
            {
                parsed = null;
            }

            var relay = result.Message.Headers?.TryGetLastBytes(RelayProducer.RelayHeader, out var bytes) == true
                ? int.Parse(Encoding.UTF8.GetString(bytes), System.Globalization.CultureInfo.InvariantCulture)
                : 0;
            messages.Add(new Published(result.Partition.Value, result.Offset.Value, result.Message.Key, result.Message.Value ?? string.Empty, parsed, relay, result.Message.Timestamp.UtcDateTime));
        }

        consumer.Close();
        return messages;
    }
}
