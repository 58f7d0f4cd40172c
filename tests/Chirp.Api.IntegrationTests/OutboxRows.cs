using System.Text.Json;
using Npgsql;

namespace Chirp.Api.IntegrationTests;

/// <summary>An outbox row as a test reads it.</summary>
public sealed record OutboxEntry(long Id, Guid EventId, string Topic, string Key, string Type, JsonElement Payload, JsonElement Headers, DateTime? SentAt, int Attempts, string? LastError);

public static class OutboxRows
{
    public static async Task<List<OutboxEntry>> ForKeyAsync(NpgsqlDataSource appDb, Guid userId)
    {
        ArgumentNullException.ThrowIfNull(appDb);
        await using var command = appDb.CreateCommand("""
            SELECT id, event_id, topic, key, type, payload::text, headers::text, sent_at, attempts, last_error
            FROM outbox WHERE key = $1 ORDER BY id
            """);
        command.Parameters.AddWithValue(userId.ToString());
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<OutboxEntry>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            rows.Add(new OutboxEntry(
                reader.GetInt64(0),
                reader.GetGuid(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                JsonDocument.Parse(reader.GetString(5)).RootElement.Clone(),
                JsonDocument.Parse(reader.GetString(6)).RootElement.Clone(),
                reader.IsDBNull(7) ? null : reader.GetDateTime(7),
                reader.GetInt32(8),
                reader.IsDBNull(9) ? null : reader.GetString(9)));
        }

        return rows;
    }

    public static async Task<long> UnsentAsync(NpgsqlDataSource appDb)
    {
        ArgumentNullException.ThrowIfNull(appDb);
        await using var command = appDb.CreateCommand("SELECT count(*) FROM outbox WHERE sent_at IS NULL");
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }
}
