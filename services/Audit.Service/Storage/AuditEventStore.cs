using Audit.Service.Chain;
using Audit.Service.Ingestion;
using Audit.Service.Partitions;
using Audit.Service.Tail;
using Npgsql;
using NpgsqlTypes;

namespace Audit.Service.Storage;

/// <summary>
/// Appends events to their actors' hash chains, once each, in one transaction per call:
/// claim the event ids (a taken id is a duplicate and changes nothing), lock the actors' chain heads, compute each
/// new row's hash from its head, insert the rows, move the heads, notify tail listeners, commit.
/// Nothing is acknowledged before the commit returns.
/// </summary>
internal sealed partial class AuditEventStore(
    NpgsqlDataSource dataSource,
    TimeProvider timeProvider,
    DefaultPartitionReader strays,
    ILogger<AuditEventStore> logger)
{
    private static readonly string s_claimEventIds = SqlStatements.Get("Storage/Sql/claim_event_ids.sql");
    private static readonly string s_ensureStreamHeads = SqlStatements.Get("Storage/Sql/ensure_stream_heads.sql");
    private static readonly string s_lockStreamHeads = SqlStatements.Get("Storage/Sql/lock_stream_heads.sql");
    private static readonly string s_insertEvents = SqlStatements.Get("Storage/Sql/insert_events.sql");
    private static readonly string s_advanceStreamHeads = SqlStatements.Get("Storage/Sql/advance_stream_heads.sql");
    private static readonly string s_notifyStored = SqlStatements.Get("Storage/Sql/notify_stored.sql");

    /// <summary>Appends <paramref name="events"/> in their order (which, per actor, is the stream order).</summary>
    /// <exception cref="AuditEventRejectedException">PostgreSQL refused an event's data; nothing of the call was stored.</exception>
    public async Task<AppendResult> AppendAsync(IReadOnlyList<IncomingAuditEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var unique = events.DistinctBy(e => e.EventId).ToList();
        if (unique.Count == 0)
        {
            return new AppendResult([], []);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var (claimed, heads) = await ClaimAndLockAsync(connection, unique, cancellationToken);
            var recordedAt = AuditCanonicalForm.TruncateToMicroseconds(timeProvider.GetUtcNow());
            var rows = Chain(unique.Where(e => claimed.Contains(e.EventId)), heads, recordedAt);
            var stored = rows.Count == 0 ? [] : await InsertAsync(connection, rows, recordedAt, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            await ReportStraysAsync(stored, cancellationToken);

            // An id seen before, or a second copy of an id within this call, is a duplicate.
            var duplicates = unique.Where(e => !claimed.Contains(e.EventId)).Select(e => e.EventId).Concat(RepeatedIds(events)).ToList();
            return new AppendResult(stored, duplicates);
        }
        catch (PostgresException ex) when (ex.SqlState.StartsWith("22", StringComparison.Ordinal))
        {
            throw new AuditEventRejectedException($"PostgreSQL rejected the event data: {ex.MessageText} (SQLSTATE {ex.SqlState})", ex);
        }
    }

    /// <summary>
    /// Rows in the default partition are reported at once (log, metric); maintenance moves them later. The metric is
    /// re-read whole rather than incremented, so a maintenance or health read racing this one cannot count a row twice.
    /// </summary>
    private async Task ReportStraysAsync(List<StoredAuditEvent> stored, CancellationToken cancellationToken)
    {
        var strayRows = stored.Where(row => row.Stray).ToList();
        if (strayRows.Count == 0)
        {
            return;
        }

        foreach (var row in strayRows)
        {
            LogStray(row.EventId, row.OccurredAt);
        }

        try
        {
            await strays.ReadAsync(cancellationToken);
        }
        catch (NpgsqlException ex)
        {
            // The rows are committed; the next maintenance run or readiness check reads the partition again.
            LogStrayCountFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not re-read the default partition after storing strays; the next maintenance run will")]
    private partial void LogStrayCountFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Event {EventId} occurred at {OccurredAt:o}, in a month without a partition: stored in audit_events_default until partition maintenance creates that month")]
    private partial void LogStray(Guid eventId, DateTimeOffset occurredAt);

    private static IEnumerable<Guid> RepeatedIds(IReadOnlyList<IncomingAuditEvent> events) =>
        events.GroupBy(e => e.EventId).SelectMany(group => group.Skip(1).Select(e => e.EventId));

    private static async Task<(HashSet<Guid> Claimed, Dictionary<Guid, StreamHead> Heads)> ClaimAndLockAsync(
        NpgsqlConnection connection,
        List<IncomingAuditEvent> events,
        CancellationToken cancellationToken)
    {
        var actors = events.Select(e => e.ActorId).Distinct().Order().ToArray();
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(s_claimEventIds)
                {
                    Parameters =
                    {
                        new NpgsqlParameter<Guid[]> { TypedValue = [.. events.Select(e => e.EventId)] },
                        new NpgsqlParameter<Guid[]> { TypedValue = [.. events.Select(e => e.ActorId)] },
                        new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. events.Select(e => e.OccurredAt)] },
                    },
                },
                new NpgsqlBatchCommand(s_ensureStreamHeads) { Parameters = { new NpgsqlParameter<Guid[]> { TypedValue = actors } } },
                new NpgsqlBatchCommand(s_lockStreamHeads) { Parameters = { new NpgsqlParameter<Guid[]> { TypedValue = actors } } },
            },
        };

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var claimed = new HashSet<Guid>();
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(reader.GetGuid(0));
        }

        // Npgsql's NextResult skips statements without rows (the INSERT of new heads): next come the locked heads.
        await reader.NextResultAsync(cancellationToken);
        var heads = new Dictionary<Guid, StreamHead>();
        while (await reader.ReadAsync(cancellationToken))
        {
            heads[reader.GetGuid(0)] = new StreamHead(reader.GetInt64(1), reader.GetFieldValue<byte[]>(2));
        }

        return (claimed, heads);
    }

    private static List<PendingRow> Chain(
        IEnumerable<IncomingAuditEvent> events,
        Dictionary<Guid, StreamHead> heads,
        DateTimeOffset recordedAt)
    {
        var rows = new List<PendingRow>();
        foreach (var e in events)
        {
            var head = heads[e.ActorId];
            var sequence = head.LastSequence + 1;
            var fields = new AuditChainFields(
                sequence, e.EventId, e.OccurredAt, recordedAt, e.ActorId, e.Action, e.ResourceType, e.ResourceId, e.CanonicalPayload);
            var hash = AuditCanonicalForm.Hash(head.LastHash, fields);
            rows.Add(new PendingRow(e, sequence, head.LastHash, hash));
            heads[e.ActorId] = new StreamHead(sequence, hash);
        }

        return rows;
    }

    private static async Task<List<StoredAuditEvent>> InsertAsync(
        NpgsqlConnection connection,
        List<PendingRow> rows,
        DateTimeOffset recordedAt,
        CancellationToken cancellationToken)
    {
        var lastPerActor = rows.GroupBy(row => row.Event.ActorId).Select(group => group.Last()).ToList();
        var insert = new NpgsqlBatchCommand(s_insertEvents)
        {
            Parameters =
            {
                new NpgsqlParameter<Guid[]> { TypedValue = [.. rows.Select(r => r.Event.EventId)] },
                new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. rows.Select(r => r.Event.OccurredAt)] },
                new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. rows.Select(_ => recordedAt)] },
                new NpgsqlParameter<Guid[]> { TypedValue = [.. rows.Select(r => r.Event.ActorId)] },
                new NpgsqlParameter<long[]> { TypedValue = [.. rows.Select(r => r.Sequence)] },
                new NpgsqlParameter<string[]> { TypedValue = [.. rows.Select(r => r.Event.Action)] },
                new NpgsqlParameter<string?[]> { TypedValue = [.. rows.Select(r => r.Event.ResourceType)] },
                new NpgsqlParameter<Guid?[]> { TypedValue = [.. rows.Select(r => r.Event.ResourceId)] },
                new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb, Value = rows.Select(r => r.Event.PayloadJson).ToArray() },
                new NpgsqlParameter<string?[]> { TypedValue = [.. rows.Select(r => r.Event.TraceId)] },
                new NpgsqlParameter<string?[]> { TypedValue = [.. rows.Select(r => r.Event.Source?.Topic)] },
                new NpgsqlParameter<int?[]> { TypedValue = [.. rows.Select(r => r.Event.Source?.Partition)] },
                new NpgsqlParameter<long?[]> { TypedValue = [.. rows.Select(r => r.Event.Source?.Offset)] },
                new NpgsqlParameter<byte[][]> { TypedValue = [.. rows.Select(r => r.PreviousHash)] },
                new NpgsqlParameter<byte[][]> { TypedValue = [.. rows.Select(r => r.Hash)] },
            },
        };
        var advance = new NpgsqlBatchCommand(s_advanceStreamHeads)
        {
            Parameters =
            {
                new NpgsqlParameter<Guid[]> { TypedValue = [.. lastPerActor.Select(r => r.Event.ActorId)] },
                new NpgsqlParameter<long[]> { TypedValue = [.. lastPerActor.Select(r => r.Sequence)] },
                new NpgsqlParameter<byte[][]> { TypedValue = [.. lastPerActor.Select(r => r.Hash)] },
                new NpgsqlParameter<Guid[]> { TypedValue = [.. lastPerActor.Select(r => r.Event.EventId)] },
            },
        };

        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { insert, advance } };
        foreach (var payload in AuditTailNotification.Payloads(rows.Select(r => (r.Event.EventId, r.Event.OccurredAt))))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(s_notifyStored)
            {
                Parameters =
                {
                    new NpgsqlParameter<string> { TypedValue = AuditTailNotification.Channel },
                    new NpgsqlParameter<string> { TypedValue = payload },
                },
            });
        }

        var ids = new Dictionary<Guid, (long Id, bool Stray)>(rows.Count);
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                ids[reader.GetGuid(1)] = (reader.GetInt64(0), reader.GetBoolean(2));
            }
        }

        return rows
            .Select(r =>
            {
                var (id, stray) = ids[r.Event.EventId];
                return new StoredAuditEvent(id, r.Event.EventId, r.Event.ActorId, r.Sequence, r.Event.OccurredAt, r.Hash, stray);
            })
            .ToList();
    }

    private sealed record StreamHead(long LastSequence, byte[] LastHash);

    private sealed record PendingRow(IncomingAuditEvent Event, long Sequence, byte[] PreviousHash, byte[] Hash);
}
