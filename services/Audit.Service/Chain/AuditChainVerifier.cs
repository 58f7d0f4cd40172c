using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Audit.Service.Telemetry;
using Npgsql;

namespace Audit.Service.Chain;

/// <summary>
/// Walks an actor's stream in sequence order and recomputes every link: the sequence numbers run 1, 2, 3, ...;
/// each prev_hash equals the previous row's hash; each hash equals SHA-256(prev_hash || canonical bytes); and the
/// stream ends where its chain head says. Stops at the first broken link and names it.
/// </summary>
internal sealed class AuditChainVerifier(NpgsqlDataSource dataSource)
{
    private const int PageSize = 2000;
    private static readonly string s_selectHead = SqlStatements.Get("Chain/Sql/select_stream_head.sql");
    private static readonly string s_selectPage = SqlStatements.Get("Chain/Sql/select_stream_page.sql");

    /// <summary>The verification, or null when the actor has neither rows nor a chain head.</summary>
    public async Task<ChainVerification?> VerifyAsync(Guid actorId, CancellationToken cancellationToken)
    {
        using var activity = AuditTelemetry.Source.StartActivity("audit verify", ActivityKind.Client);
        activity?.SetTag("db.system", "postgresql");
        activity?.SetTag("db.operation.name", "SELECT");
        activity?.SetTag("db.collection.name", "audit_events");
        activity?.SetTag("audit.actor_id", actorId.ToString());

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // One snapshot for the head and every page, so rows appended meanwhile do not look like a broken chain.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var head = await ReadHeadAsync(connection, actorId, cancellationToken);

        var walk = new ChainWalk(actorId);
        long lastSequence = 0;
        long lastId = 0;
        while (walk.Broken is null)
        {
            var page = await ReadPageAsync(connection, actorId, lastSequence, lastId, cancellationToken);
            foreach (var row in page)
            {
                walk.Check(row);
                if (walk.Broken is not null)
                {
                    break;
                }
            }

            if (page.Count < PageSize)
            {
                break;
            }

            (lastSequence, lastId) = (page[^1].Sequence, page[^1].Id);
        }

        await transaction.CommitAsync(cancellationToken);
        if (walk.Checked == 0 && head is null)
        {
            return null;
        }

        if (walk.Broken is null && head is { } h && (h.LastSequence != walk.LastSequence || !h.LastHash.AsSpan().SequenceEqual(walk.LastHash)))
        {
            walk.Broken = new BrokenLink(
                walk.LastSequence + 1,
                null,
                null,
                "head-mismatch",
                h.LastSequence.ToString(CultureInfo.InvariantCulture),
                walk.LastSequence.ToString(CultureInfo.InvariantCulture),
                $"The chain head says the stream ends at sequence {h.LastSequence} with hash {Convert.ToHexStringLower(h.LastHash)}, " +
                $"but the stored rows end at {walk.LastSequence}: the last rows were deleted.");
        }

        activity?.SetTag("audit.chain.checked", walk.Checked);
        activity?.SetTag("audit.chain.valid", walk.Broken is null);
        return new ChainVerification(actorId, walk.Broken is null, walk.Checked, head?.LastSequence, walk.Broken);
    }

    private static async Task<Head?> ReadHeadAsync(NpgsqlConnection connection, Guid actorId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(s_selectHead, connection);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = actorId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new Head(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)) : null;
    }

    private static async Task<List<StoredRow>> ReadPageAsync(
        NpgsqlConnection connection,
        Guid actorId,
        long afterSequence,
        long afterId,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(s_selectPage, connection);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = actorId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterSequence });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = PageSize });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<StoredRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new StoredRow(
                reader.GetInt64(0),
                reader.GetGuid(1),
                reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetInt64(4),
                reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetGuid(7),
                reader.GetString(8),
                reader.GetFieldValue<byte[]>(9),
                reader.GetFieldValue<byte[]>(10)));
        }

        return rows;
    }

    private sealed record Head(long LastSequence, byte[] LastHash);

    private sealed record StoredRow(
        long Id,
        Guid EventId,
        DateTimeOffset OccurredAt,
        DateTimeOffset RecordedAt,
        long Sequence,
        string Action,
        string? ResourceType,
        Guid? ResourceId,
        string PayloadJson,
        byte[] PrevHash,
        byte[] Hash);

    private sealed class ChainWalk(Guid actorId)
    {
        public long Checked { get; private set; }

        public long LastSequence { get; private set; }

        public byte[] LastHash { get; private set; } = AuditCanonicalForm.GenesisHash.ToArray();

        public BrokenLink? Broken { get; set; }

        public void Check(StoredRow row)
        {
            Checked++;
            var expectedSequence = LastSequence + 1;
            if (row.Sequence != expectedSequence)
            {
                var repeated = row.Sequence < expectedSequence;
                Broken = Link(
                    row,
                    repeated ? "sequence-repeated" : "sequence-gap",
                    expectedSequence.ToString(CultureInfo.InvariantCulture),
                    row.Sequence.ToString(CultureInfo.InvariantCulture),
                    repeated
                        ? $"Sequence {row.Sequence} appears again after {LastSequence}: a row was copied or reordered."
                        : $"Sequence {expectedSequence} is missing before {row.Sequence}: a row was deleted (or moved).");
                return;
            }

            if (!row.PrevHash.AsSpan().SequenceEqual(LastHash))
            {
                Broken = Link(
                    row,
                    "prev-hash-mismatch",
                    Convert.ToHexStringLower(LastHash),
                    Convert.ToHexStringLower(row.PrevHash),
                    $"The row does not follow sequence {LastSequence}'s hash: a row before it was deleted, inserted or reordered.");
                return;
            }

            byte[] computed;
            try
            {
                using var payload = JsonDocument.Parse(row.PayloadJson);
                var fields = new AuditChainFields(
                    row.Sequence, row.EventId, row.OccurredAt, row.RecordedAt, actorId, row.Action, row.ResourceType, row.ResourceId,
                    CanonicalJson.Canonicalize(payload.RootElement));
                computed = AuditCanonicalForm.Hash(row.PrevHash, fields);
            }
            catch (Exception ex) when (ex is JsonException or FormatException)
            {
                Broken = Link(row, "unreadable-row", "a canonical payload", ex.Message, "The stored payload cannot be read back into its canonical form.");
                return;
            }

            if (!computed.AsSpan().SequenceEqual(row.Hash))
            {
                Broken = Link(
                    row,
                    "hash-mismatch",
                    Convert.ToHexStringLower(computed),
                    Convert.ToHexStringLower(row.Hash),
                    "The row's content no longer matches its hash: it was edited after it was stored.");
                return;
            }

            LastSequence = row.Sequence;
            LastHash = row.Hash;
        }

        private static BrokenLink Link(StoredRow row, string reason, string expected, string actual, string detail) =>
            new(row.Sequence, row.Id, row.EventId, reason, expected, actual, detail);
    }
}
