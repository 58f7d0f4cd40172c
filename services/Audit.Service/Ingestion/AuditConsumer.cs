using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Audit.Service.Storage;
using Audit.Service.Telemetry;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Audit.Service.Ingestion;

/// <summary>
/// Consumes the events topic into the audit log, at least once and idempotently:
/// collect the messages that are waiting (up to MaxBatchSize), send the unparsable ones to the dead-letter topic,
/// append the rest in one transaction (retrying transient database errors with backoff, forever: an event is never
/// skipped), and only then commit the offsets. A crash anywhere before the offset commit means redelivery, which the
/// store recognises by event id and ignores, so the row and the hash chain stay as they were.
/// Runs on its own thread: the Kafka client blocks, and its rebalance callbacks then run on that thread too.
/// </summary>
internal sealed partial class AuditConsumer : BackgroundService
{
    private static readonly TimeSpan s_pollTimeout = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan s_maxRestartDelay = TimeSpan.FromSeconds(30);
    private readonly KafkaConnection _kafka;
    private readonly IOptions<AuditConsumerOptions> _options;
    private readonly AuditEventStore _store;
    private readonly DeadLetterPublisher _deadLetters;
    private readonly IOffsetCommitter _committer;
    private readonly KafkaConsumerStatus _status;
    private readonly ConsumerLag _lag;
    private readonly AuditTelemetry _telemetry;
    private readonly ILogger<AuditConsumer> _logger;
    private readonly ResiliencePipeline _retry;
    private volatile string? _fatalError;

    public AuditConsumer(
        KafkaConnection kafka,
        IOptions<AuditConsumerOptions> options,
        AuditEventStore store,
        DeadLetterPublisher deadLetters,
        IOffsetCommitter committer,
        KafkaConsumerStatus status,
        ConsumerLag lag,
        AuditTelemetry telemetry,
        ILogger<AuditConsumer> logger)
    {
        _kafka = kafka;
        _options = options;
        _store = store;
        _deadLetters = deadLetters;
        _committer = committer;
        _status = status;
        _lag = lag;
        _telemetry = telemetry;
        _logger = logger;
        _retry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                // Everything but a refused event is worth retrying: a lost connection, a deadlock, a failover,
                // even a missing table (the schema is behind; readiness says so) heals without losing the event.
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not (AuditEventRejectedException or OperationCanceledException)),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(100),
                MaxDelay = TimeSpan.FromSeconds(10),
                OnRetry = args =>
                {
                    var problem = args.Outcome.Exception?.Message ?? "unknown error";
                    _status.StoreFailing(problem);
                    LogRetrying(args.Outcome.Exception, args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            })
            .Build();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        var settings = _options.Value;
        _status.Configured(settings.Topic);
        var restartDelay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                ConsumeUntilStopped(settings, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                _status.Restarting(ex.Message);
                LogConsumerFailed(ex, restartDelay);
                stoppingToken.WaitHandle.WaitOne(restartDelay);
                restartDelay = restartDelay * 2 < s_maxRestartDelay ? restartDelay * 2 : s_maxRestartDelay;
            }
        }

        _lag.Clear();
        _status.Stopped();
    }

    private void ConsumeUntilStopped(AuditConsumerOptions settings, CancellationToken stoppingToken)
    {
        _fatalError = null;
        var pending = new List<ConsumeResult<byte[]?, byte[]?>>();
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(ConsumerConfig(settings))
            .SetPartitionsAssignedHandler((_, partitions) =>
            {
                _status.Running(partitions.Count);
                var numbers = partitions.Select(p => p.Partition.Value).ToList();
                LogAssigned(numbers);
            })
            .SetPartitionsRevokedHandler((_, partitions) => Revoke(pending, partitions.Select(p => p.TopicPartition), "revoked"))
            .SetPartitionsLostHandler((_, partitions) => Revoke(pending, partitions.Select(p => p.TopicPartition), "lost"))
            .SetErrorHandler((_, error) => OnError(error))
            .SetStatisticsHandler((_, json) => OnStatistics(json))
            .SetLogHandler((_, message) => LogKafkaClient(message.Name, message.Message))
            .Build();
        consumer.Subscribe(settings.Topic);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (_fatalError is { } fatal)
                {
                    throw new KafkaException(new Error(ErrorCode.Local_Fatal, fatal));
                }

                Collect(consumer, pending, settings.MaxBatchSize);
                if (pending.Count > 0)
                {
                    var batch = pending.ToList();
                    pending.Clear();
                    Process(consumer, batch, settings, stoppingToken);
                }

                _lag.Update(consumer, settings.GroupId);
            }
        }
        finally
        {
            // Leave the group now, so the partitions move to another instance without waiting for the session timeout.
            // Nothing is committed here: whatever was not committed after its rows is simply delivered again.
            try
            {
                consumer.Close();
            }
            catch (KafkaException ex)
            {
                LogCloseFailed(ex);
            }
        }
    }

    private static void Collect(IConsumer<byte[]?, byte[]?> consumer, List<ConsumeResult<byte[]?, byte[]?>> pending, int maxBatchSize)
    {
        var first = consumer.Consume(s_pollTimeout);
        if (first is null)
        {
            return;
        }

        pending.Add(first);
        while (pending.Count < maxBatchSize && consumer.Consume(TimeSpan.Zero) is { } next)
        {
            pending.Add(next);
        }
    }

    private void Revoke(List<ConsumeResult<byte[]?, byte[]?>> pending, IEnumerable<TopicPartition> partitions, string how)
    {
        // Messages of partitions this instance no longer owns are the new owner's to store; drop them unprocessed.
        var gone = partitions.ToHashSet();
        var dropped = pending.RemoveAll(message => gone.Contains(message.TopicPartition));
        var numbers = gone.Select(p => p.Partition.Value).ToList();
        LogRevoked(how, numbers, dropped);
    }

    private void Process(
        IConsumer<byte[]?, byte[]?> consumer,
        List<ConsumeResult<byte[]?, byte[]?>> batch,
        AuditConsumerOptions settings,
        CancellationToken stoppingToken)
    {
        _telemetry.EventsConsumed.Add(batch.Count, new KeyValuePair<string, object?>("messaging.destination.name", settings.Topic));
        var items = batch.Select(message => new InFlight(message, StartProcessSpan(message, settings))).ToList();
        try
        {
            var valid = new List<InFlight>(items.Count);
            foreach (var item in items)
            {
                var source = new KafkaSource(item.Message.Topic, item.Message.Partition.Value, item.Message.Offset.Value);
                var traceId = KafkaTraceContext.Extract(item.Message.Message.Headers) is { TraceId: var id } context && context != default
                    ? id.ToHexString()
                    : null;
                if (AuditEventParser.TryParse(item.Message.Message.Value, traceId, source, out var parsed, out var error))
                {
                    item.Event = parsed;
                    item.Activity?.SetTag("messaging.message.id", parsed!.EventId.ToString());
                    valid.Add(item);
                }
                else
                {
                    DeadLetter(item, error!, settings, stoppingToken);
                }
            }

            StoreOrDeadLetter(valid, settings, stoppingToken);
            CommitOffsets(consumer, batch, stoppingToken);
        }
        catch (Exception ex)
        {
            foreach (var item in items)
            {
                item.Activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            }

            throw;
        }
        finally
        {
            foreach (var item in items)
            {
                item.Activity?.Dispose();
            }
        }
    }

    private void StoreOrDeadLetter(List<InFlight> valid, AuditConsumerOptions settings, CancellationToken stoppingToken)
    {
        if (valid.Count == 0)
        {
            return;
        }

        try
        {
            Store(valid, stoppingToken);
        }
        catch (AuditEventRejectedException) when (valid.Count > 1)
        {
            // One event spoiled the batch's transaction; store them one by one to find it, and keep the others.
            foreach (var item in valid)
            {
                StoreOrDeadLetter([item], settings, stoppingToken);
            }
        }
        catch (AuditEventRejectedException ex)
        {
            DeadLetter(valid[0], ex.Message, settings, stoppingToken);
        }
    }

    private void Store(List<InFlight> items, CancellationToken stoppingToken)
    {
        var spans = items.Select(item => StartInsertSpan(item, items.Count)).ToList();
        var previous = Activity.Current;
        // With one event, Npgsql's own spans nest under its insert span; a batch's statements belong to no single event.
        Activity.Current = spans.Count == 1 ? spans[0] : null;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var events = items.Select(item => item.Event!).ToList();
            var result = _retry.ExecuteAsync(async token => await _store.AppendAsync(events, token), stoppingToken)
                .AsTask().GetAwaiter().GetResult();
            _telemetry.InsertDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
            _telemetry.EventsStored.Add(result.Stored.Count);
            _telemetry.EventsDuplicate.Add(result.Duplicates.Count);
            _status.StoreRecovered();
            Annotate(items, spans, result);
        }
        catch (Exception ex)
        {
            foreach (var span in spans)
            {
                span?.SetStatus(ActivityStatusCode.Error, ex.Message);
                span?.SetTag("error.type", ex.GetType().Name);
            }

            throw;
        }
        finally
        {
            Activity.Current = previous;
            foreach (var span in spans)
            {
                span?.Dispose();
            }
        }
    }

    private static void Annotate(List<InFlight> items, List<Activity?> spans, AppendResult result)
    {
        var stored = result.Stored.ToDictionary(row => row.EventId);
        var duplicates = result.Duplicates.ToHashSet();
        for (var i = 0; i < items.Count; i++)
        {
            var span = spans[i];
            if (span is null)
            {
                continue;
            }

            if (stored.TryGetValue(items[i].Event!.EventId, out var row))
            {
                span.SetTag("audit.row.id", row.Id);
                span.SetTag("audit.stream.sequence", row.Sequence);
            }

            span.SetTag("audit.duplicate", duplicates.Contains(items[i].Event!.EventId));
        }
    }

    private void DeadLetter(InFlight item, string error, AuditConsumerOptions settings, CancellationToken stoppingToken)
    {
        var message = item.Message;
        LogPoison(message.Topic, message.Partition.Value, message.Offset.Value, settings.DeadLetterTopic, error);
        item.Activity?.SetTag("audit.dead_lettered", true);
        item.Activity?.SetTag("error.type", "poison_message");
        item.Activity?.AddEvent(new ActivityEvent("dead-lettered", tags: new ActivityTagsCollection { ["dlq.error"] = error }));
        var parent = item.Activity?.Context ?? default;
        _retry.ExecuteAsync(
                async token => await _deadLetters.PublishAsync(message, error, settings.DeadLetterTopic, parent, token),
                stoppingToken)
            .AsTask().GetAwaiter().GetResult();
        _telemetry.EventsDeadLettered.Add(1, new KeyValuePair<string, object?>("messaging.destination.name", settings.DeadLetterTopic));
    }

    private void CommitOffsets(IConsumer<byte[]?, byte[]?> consumer, List<ConsumeResult<byte[]?, byte[]?>> batch, CancellationToken stoppingToken)
    {
        var offsets = batch
            .GroupBy(message => message.TopicPartition)
            .Select(partition => new TopicPartitionOffset(partition.Key, partition.Max(message => message.Offset.Value) + 1))
            .ToList();
        try
        {
            _committer.Commit(consumer, offsets, stoppingToken);
        }
        catch (KafkaException ex)
        {
            // The rows are stored; if this instance lost the partitions, the new owner's redelivery changes nothing.
            LogCommitFailed(ex, string.Join(", ", offsets.Select(o => $"{o.Partition.Value}@{o.Offset.Value}")));
        }
    }

    private static Activity? StartProcessSpan(ConsumeResult<byte[]?, byte[]?> message, AuditConsumerOptions settings)
    {
        var previous = Activity.Current;
        var activity = AuditTelemetry.Source.StartActivity(
            $"process {message.Topic}",
            ActivityKind.Consumer,
            KafkaTraceContext.Extract(message.Message.Headers));
        Activity.Current = previous;
        if (activity is null)
        {
            return null;
        }

        activity.SetTag("messaging.system", "kafka");
        activity.SetTag("messaging.operation.type", "process");
        activity.SetTag("messaging.operation.name", "process");
        activity.SetTag("messaging.destination.name", message.Topic);
        activity.SetTag("messaging.destination.partition.id", message.Partition.Value.ToString(CultureInfo.InvariantCulture));
        activity.SetTag("messaging.consumer.group.name", settings.GroupId);
        activity.SetTag("messaging.kafka.offset", message.Offset.Value);
        activity.SetTag("messaging.message.body.size", message.Message.Value?.Length ?? 0);
        if (message.Message.Key is { Length: > 0 } key)
        {
            activity.SetTag("messaging.kafka.message.key", Encoding.UTF8.GetString(key));
        }

        return activity;
    }

    private static Activity? StartInsertSpan(InFlight item, int batchSize)
    {
        if (item.Activity is null)
        {
            return null;
        }

        var previous = Activity.Current;
        var activity = AuditTelemetry.Source.StartActivity("audit insert", ActivityKind.Client, item.Activity.Context);
        Activity.Current = previous;
        if (activity is null)
        {
            return null;
        }

        activity.SetTag("db.system", "postgresql");
        activity.SetTag("db.system.name", "postgresql");
        activity.SetTag("db.operation.name", "INSERT");
        activity.SetTag("db.collection.name", "audit_events");
        activity.SetTag("db.operation.batch.size", batchSize);
        activity.SetTag("audit.event_id", item.Event!.EventId.ToString());
        activity.SetTag("audit.actor_id", item.Event.ActorId.ToString());
        activity.SetTag("audit.action", item.Event.Action);
        return activity;
    }

    private ConsumerConfig ConsumerConfig(AuditConsumerOptions settings)
    {
        var config = new ConsumerConfig();
        foreach (var (key, value) in settings.Client)
        {
            config.Set(key, value);
        }

        config.BootstrapServers = _kafka.BootstrapServers;
        config.GroupId = settings.GroupId;
        config.ClientId ??= "audit-service";
        config.EnableAutoCommit = false;
        config.EnableAutoOffsetStore = false;
        // A new group starts at the beginning: an audit log wants every event the topic still holds.
        config.AutoOffsetReset ??= AutoOffsetReset.Earliest;
        // KIP-848's group protocol (Kafka 4.x and the mock cluster): the broker assigns partitions, and a closing member's
        // partitions move in about a second instead of after the classic protocol's session timeout (45 s by default).
        config.GroupProtocol ??= GroupProtocol.Consumer;
        // Statistics tell whether any broker connection is up, for the readiness check.
        config.StatisticsIntervalMs ??= 5000;
        return config;
    }

    private void OnError(Error error)
    {
        if (error.IsFatal)
        {
            _fatalError = error.Reason;
        }

        if (error.Code == ErrorCode.Local_AllBrokersDown)
        {
            _status.BrokersUnreachable(error.Reason);
        }

        LogKafkaError(error.Code, error.Reason, error.IsFatal);
    }

    private void OnStatistics(string json)
    {
        using var statistics = JsonDocument.Parse(json);
        if (!statistics.RootElement.TryGetProperty("brokers", out var brokers))
        {
            return;
        }

        var up = brokers.EnumerateObject().Count(broker =>
            broker.Value.TryGetProperty("state", out var state) && state.ValueEquals("UP"));
        if (up > 0)
        {
            _status.BrokersReachable();
        }
        else
        {
            _status.BrokersUnreachable("no connection to any broker is up");
        }
    }

    private sealed class InFlight(ConsumeResult<byte[]?, byte[]?> message, Activity? activity)
    {
        public ConsumeResult<byte[]?, byte[]?> Message { get; } = message;

        public Activity? Activity { get; } = activity;

        public IncomingAuditEvent? Event { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Assigned partitions {Partitions}")]
    private partial void LogAssigned(List<int> partitions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Partitions {Partitions} {How}; {Dropped} unprocessed message(s) left to their new owner")]
    private partial void LogRevoked(string how, List<int> partitions, int dropped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Poison message {Topic}[{Partition}]@{Offset} sent to {DeadLetterTopic}: {Error}")]
    private partial void LogPoison(string topic, int partition, long offset, string deadLetterTopic, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing or dead-lettering failed; attempt {Attempt} in {Delay}")]
    private partial void LogRetrying(Exception? exception, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Committing offsets {Offsets} failed after their rows were stored; they will be redelivered and ignored")]
    private partial void LogCommitFailed(Exception exception, string offsets);

    [LoggerMessage(Level = LogLevel.Error, Message = "The Kafka consumer failed; restarting it in {Delay}")]
    private partial void LogConsumerFailed(Exception exception, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing the Kafka consumer failed")]
    private partial void LogCloseFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka error {Code}: {Reason} (fatal: {Fatal})")]
    private partial void LogKafkaError(ErrorCode code, string reason, bool fatal);

    [LoggerMessage(Level = LogLevel.Debug, Message = "librdkafka {Client}: {Message}")]
    private partial void LogKafkaClient(string client, string message);
}
