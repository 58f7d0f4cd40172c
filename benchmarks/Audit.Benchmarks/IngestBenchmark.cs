using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Audit.Service.Chain;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Audit.Benchmarks;

/// <summary>
/// (a) Ingest throughput: N contract events produced to a fresh topic and consumed, as they arrive, by the real consumer
/// pipeline into a fresh auditdb-like database; then, in the same database, pgbench running the same INSERT, and the service's whole
/// per-event transaction, one event per transaction.
/// </summary>
internal static class IngestBenchmark
{
    public static async Task<IngestResult> RunAsync(BenchmarkSettings settings, string auditDb, string kafka, TextWriter log)
    {
        var (database, _) = await BenchDatabase.OpenOrCreateAsync(auditDb, $"bench_audit_ingest_{Guid.NewGuid():N}"[..40], settings.KeepDatabases);
        await using (database)
        {
            var topic = $"bench.audit.{Guid.NewGuid():N}";
            await Topics.CreateAsync(kafka, topic, partitions: 6);
            log.WriteLine($"ingest: {settings.Events:N0} events of {settings.Actors:N0} actors through {topic} (6 partitions) into {database.Name}");
            var progress = new Progress();
            var (firstStored, firstCount, allStored, produced) = await ConsumeAsync(database, kafka, topic, settings, progress, log);
            var rows = await database.ScalarAsync<long>("SELECT count(*) FROM audit_events");
            if (rows != settings.Events)
            {
                throw new InvalidOperationException($"Expected {settings.Events} rows, found {rows}.");
            }

            var chainsValid = await VerifySomeChainsAsync(database, kafka, settings);
            // From the end of the first append to the end of the last: the group join and the first batch's wait are left out.
            var steady = (settings.Events - firstCount) / (allStored - firstStored).TotalSeconds;
            log.WriteLine($"ingest: {settings.Events:N0} stored, {steady:N0} events/s after the first; chains valid: {chainsValid}");

            var variables = new Dictionary<string, string> { ["actors"] = settings.Actors.ToString(CultureInfo.InvariantCulture) };
            log.WriteLine($"ingest: pgbench insert, {settings.PgbenchClients} clients, {settings.PgbenchSeconds} s");
            var insert = await Pgbench.RunAsync(database, Sql.Get("pgbench_insert.sql"), settings.PgbenchClients, settings.PgbenchSeconds, variables, logLatencies: false);
            log.WriteLine($"ingest: pgbench insert of 500 rows per transaction, {settings.PgbenchClients} clients, {settings.PgbenchSeconds} s");
            var batch = await Pgbench.RunAsync(database, Sql.Get("pgbench_insert_batch.sql"), settings.PgbenchClients, settings.PgbenchSeconds, variables, logLatencies: false);
            log.WriteLine($"ingest: pgbench append transaction, {settings.PgbenchClients} clients, {settings.PgbenchSeconds} s");
            var append = await Pgbench.RunAsync(database, Sql.Get("pgbench_append.sql"), settings.PgbenchClients, settings.PgbenchSeconds, variables, logLatencies: false);
            return new IngestResult(settings.Events, settings.Actors, settings.PgbenchClients, produced, allStored - firstStored, allStored, steady, chainsValid, insert, batch, append);
        }
    }

    /// <summary>
    /// Produces the events while the consumer runs, never more than <see cref="MaxBacklog"/> ahead of it: the native mock
    /// cluster keeps only about 5 MB per partition and deletes older messages, so a backlog larger than that would be
    /// lost before it is read. The consumer still always has messages waiting, so its pace is what is measured.
    /// </summary>
    private static TimeSpan Produce(string kafka, string topic, BenchmarkSettings settings, Progress progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var failed = 0;
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = kafka,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 20,
            BatchNumMessages = 10_000,
            QueueBufferingMaxMessages = 500_000,
        }).SetLogHandler((_, _) => { }).Build();
        var start = DateTimeOffset.UtcNow;
        var random = new Random(42);
        for (var i = 0; i < settings.Events; i++)
        {
            while (i - Interlocked.Read(ref progress.Stored) > MaxBacklog)
            {
                cancellationToken.ThrowIfCancellationRequested();
                producer.Poll(TimeSpan.FromMilliseconds(5));
            }

            var actor = BenchIds.Of(BenchIds.Actor, random.Next(1, settings.Actors + 1));
            var message = new Message<string, byte[]>
            {
                Key = actor.ToString(),
                Value = Event(actor, start.AddTicks(i * 10L), i),
                Headers = new Headers
                {
                    { "traceparent", Encoding.ASCII.GetBytes($"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-01") },
                    { "event-type", "chirp.created"u8.ToArray() },
                    { "content-type", "application/json"u8.ToArray() },
                },
            };
            while (true)
            {
                try
                {
                    producer.Produce(topic, message, report =>
                    {
                        if (report.Error.IsError)
                        {
                            Interlocked.Increment(ref failed);
                        }
                    });
                    break;
                }
                catch (ProduceException<string, byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(50));
                }
            }
        }

        producer.Flush(Timeout.InfiniteTimeSpan);
        if (failed > 0)
        {
            throw new InvalidOperationException($"{failed} events were not delivered.");
        }

        return Stopwatch.GetElapsedTime(started);
    }

    private const int MaxBacklog = 20_000;

    /// <summary>Events stored so far, counted from the service's own audit.events.stored metric.</summary>
    private sealed class Progress
    {
        public long Stored;
    }

    private static byte[] Event(Guid actor, DateTimeOffset occurredAt, int i)
    {
        using var buffer = new MemoryStream(320);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("eventId", Guid.NewGuid());
            json.WriteString("type", "chirp.created");
            json.WriteString("occurredAt", occurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("actorId", actor);
            json.WriteString("resourceType", "chirp");
            json.WriteString("resourceId", Guid.NewGuid());
            json.WriteStartObject("data");
            json.WriteString("text", $"chirp number {i} of the benchmark");
            json.WriteNumber("length", 31);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <returns>When the first append finished and how many it stored, when the last one finished (since the host was built), how long producing took.</returns>
    private static async Task<(TimeSpan FirstStored, long FirstCount, TimeSpan AllStored, TimeSpan Produced)> ConsumeAsync(
        BenchDatabase database, string kafka, string topic, BenchmarkSettings settings, Progress progress, TextWriter log)
    {
        var events = settings.Events;
        long firstTicks = 0;
        long firstCount = 0;
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Audit.Service" && instrument.Name == "audit.events.stored")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, count, _, _) =>
        {
            if (Interlocked.CompareExchange(ref firstTicks, clock.Elapsed.Ticks, 0) == 0)
            {
                Interlocked.Exchange(ref firstCount, count);
            }

            if (Interlocked.Add(ref progress.Stored, count) >= events)
            {
                done.TrySetResult(clock.Elapsed.Ticks);
            }
        });
        listener.Start();

        using var host = AuditHost.Build(database.ConnectionString, kafka, topic);
        await host.StartAsync();
        using var stop = new CancellationTokenSource();
        var producing = Task.Run(() => Produce(kafka, topic, settings, progress, stop.Token));
        var lastStored = -1L;
        var lastChange = clock.Elapsed;
        while (!done.Task.IsCompleted)
        {
            await Task.WhenAny(done.Task, Task.Delay(TimeSpan.FromSeconds(10)));
            var stored = Interlocked.Read(ref progress.Stored);
            log.WriteLine($"ingest: {stored:N0} stored after {clock.Elapsed.TotalSeconds:F0} s");
            if (stored != lastStored)
            {
                (lastStored, lastChange) = (stored, clock.Elapsed);
            }
            else if (clock.Elapsed - lastChange > TimeSpan.FromSeconds(60) || producing.IsFaulted)
            {
                await stop.CancelAsync();
                throw new InvalidOperationException(
                    $"The consumer stopped at {stored:N0} of {events:N0} stored events for a minute.", producing.Exception);
            }
        }

        var allTicks = await done.Task;
        var produced = await producing;
        await host.StopAsync();
        return (TimeSpan.FromTicks(Interlocked.Read(ref firstTicks)), Interlocked.Read(ref firstCount), TimeSpan.FromTicks(allTicks), produced);
    }

    private static async Task<bool> VerifySomeChainsAsync(BenchDatabase database, string kafka, BenchmarkSettings settings)
    {
        using var host = AuditHost.Build(database.ConnectionString, kafka, topic: null);
        var verifier = host.Services.GetRequiredService<AuditChainVerifier>();
        foreach (var n in new[] { 1, settings.Actors / 2, settings.Actors })
        {
            var verification = await verifier.VerifyAsync(BenchIds.Of(BenchIds.Actor, n), CancellationToken.None);
            if (verification is { Valid: false })
            {
                return false;
            }
        }

        return true;
    }
}

internal sealed record IngestResult(
    int Events,
    int Actors,
    int PgbenchClients,
    TimeSpan Produce,
    TimeSpan FirstToLast,
    TimeSpan SinceStart,
    double EventsPerSecond,
    bool ChainsValid,
    PgbenchResult PgbenchInsert,
    PgbenchResult PgbenchInsertBatch,
    PgbenchResult PgbenchAppend);
