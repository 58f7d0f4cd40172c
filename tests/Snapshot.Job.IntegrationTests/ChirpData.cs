using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bogus;
using Npgsql;
using NpgsqlTypes;

namespace Snapshot.Job.IntegrationTests;

/// <summary>
/// A realistic appdb, made with Bogus from a fixed seed: users with mixed-case emails, API keys (some revoked),
/// chirps and bios that mention other people's emails, handles and IP addresses, the outbox events the API would have
/// written, and idempotency records. Everything personal or secret is listed in <see cref="Needles"/>.
/// </summary>
internal sealed class ChirpData
{
    private static readonly DateTime s_from = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime s_to = new(2025, 12, 31, 0, 0, 0, DateTimeKind.Utc);

    public List<User> Users { get; } = [];

    public List<ApiKey> ApiKeys { get; } = [];

    public List<Chirp> Chirps { get; } = [];

    public List<OutboxEvent> Outbox { get; } = [];

    public List<IdempotencyRecord> IdempotencyRecords { get; } = [];

    /// <summary>The IP addresses that bios and chirps mention.</summary>
    public List<string> IpAddresses { get; } = [];

    public static ChirpData Generate(int seed, int users)
    {
        var faker = new Faker("en") { Random = new Randomizer(seed) };
        var data = new ChirpData();
        var handles = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var emails = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < users; i++)
        {
            var first = faker.Name.FirstName();
            var last = faker.Name.LastName();
            var handle = Unique(Handle(faker.Internet.UserName(first, last)), handles, i);
            var email = Unique(faker.Internet.Email(first, last), emails, i);
            var ip = faker.Internet.Ip();
            var bio = faker.Random.Bool(0.6f) ? null : Cut($"{faker.Name.JobTitle()} at {faker.Company.CompanyName()}. Mail {email} (from {ip})", 160);
            if (bio?.Contains(ip, StringComparison.Ordinal) == true)
            {
                data.IpAddresses.Add(ip);
            }

            var user = new User(faker.Random.Guid(), handle, email, $"{first} {last}", bio, faker.Date.Between(s_from, s_to));
            data.Users.Add(user);
            data.Outbox.Add(Event(faker, user.Id, "user.created", new { handle, displayName = user.DisplayName }, user.CreatedAt));

            for (var k = faker.Random.Int(1, 3); k > 0; k--)
            {
                var prefix = $"chirp_{faker.Random.Hash(16)}";
                var key = $"{prefix}_{Base64Url.EncodeToString(faker.Random.Bytes(32))}";
                var apiKey = new ApiKey(faker.Random.Guid(), user.Id, prefix, SHA256.HashData(Encoding.UTF8.GetBytes(key)),
                    user.CreatedAt.AddMinutes(k), faker.Random.Bool(0.2f) ? user.CreatedAt.AddDays(3) : null);
                data.ApiKeys.Add(apiKey);
                data.Outbox.Add(Event(faker, user.Id, "apikey.created", new { keyId = apiKey.Id, prefix }, apiKey.CreatedAt));
            }
        }

        foreach (var user in data.Users)
        {
            for (var c = faker.Random.Int(0, 9); c > 0; c--)
            {
                var other = faker.PickRandom(data.Users);
                var body = faker.Random.WeightedRandom(
                    [faker.Lorem.Sentence(), $"@{other.Handle} {faker.Hacker.Phrase()}", $"write to {other.Email}", $"{other.DisplayName} logged in from {faker.PickRandom(data.IpAddresses)}"],
                    [0.55f, 0.2f, 0.1f, 0.15f]);
                var chirp = new Chirp(faker.Random.Guid(), user.Id, Cut(body, 140), faker.Date.Between(user.CreatedAt, s_to.AddDays(30)));
                data.Chirps.Add(chirp);
                data.Outbox.Add(Event(faker, user.Id, "chirp.created", new { body = chirp.Body }, chirp.CreatedAt));
            }
        }

        foreach (var user in faker.PickRandom(data.Users, Math.Min(50, data.Users.Count)))
        {
            var created = faker.Date.Between(s_from, s_to);
            data.IdempotencyRecords.Add(new IdempotencyRecord($"user:{user.Id}", faker.Random.Bytes(32), faker.Random.Bytes(32), 201,
                faker.Random.Bytes(faker.Random.Int(80, 400)), created, created.AddDays(1)));
        }

        return data;
    }

    /// <summary>Everything of the source that must not appear in a snapshot, as text to search for (hashes in hex).</summary>
    public IReadOnlyList<string> Needles() =>
    [
        .. Users.Select(user => user.Email),
        .. Users.Select(user => user.Email.Split('@')[0]).Where(local => local.Length >= 6),
        .. Users.Select(user => user.DisplayName),
        .. Users.Select(user => user.Handle).Where(handle => handle.Length >= 6),
        .. IpAddresses,
        .. ApiKeys.Select(key => key.Prefix),
        .. ApiKeys.Select(key => Convert.ToHexStringLower(key.KeyHash)),
        .. IdempotencyRecords.Select(record => Convert.ToHexStringLower(record.KeyHash)),
    ];

    public async Task InsertAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var users = await connection.BeginBinaryImportAsync("COPY users (id, handle, email, display_name, bio, created_at) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var user in Users)
            {
                await users.StartRowAsync(cancellationToken);
                await users.WriteAsync(user.Id, NpgsqlDbType.Uuid, cancellationToken);
                await users.WriteAsync(user.Handle, NpgsqlDbType.Text, cancellationToken);
                await users.WriteAsync(user.Email, NpgsqlDbType.Text, cancellationToken);
                await users.WriteAsync(user.DisplayName, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(users, user.Bio, NpgsqlDbType.Text, cancellationToken);
                await users.WriteAsync(user.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            }

            await users.CompleteAsync(cancellationToken);
        }

        await using (var keys = await connection.BeginBinaryImportAsync("COPY api_keys (id, user_id, prefix, key_hash, created_at, revoked_at) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var key in ApiKeys)
            {
                await keys.StartRowAsync(cancellationToken);
                await keys.WriteAsync(key.Id, NpgsqlDbType.Uuid, cancellationToken);
                await keys.WriteAsync(key.UserId, NpgsqlDbType.Uuid, cancellationToken);
                await keys.WriteAsync(key.Prefix, NpgsqlDbType.Text, cancellationToken);
                await keys.WriteAsync(key.KeyHash, NpgsqlDbType.Bytea, cancellationToken);
                await keys.WriteAsync(key.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await WriteNullableAsync(keys, key.RevokedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            }

            await keys.CompleteAsync(cancellationToken);
        }

        await using (var chirps = await connection.BeginBinaryImportAsync("COPY chirps (id, author_id, body, created_at) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var chirp in Chirps)
            {
                await chirps.StartRowAsync(cancellationToken);
                await chirps.WriteAsync(chirp.Id, NpgsqlDbType.Uuid, cancellationToken);
                await chirps.WriteAsync(chirp.AuthorId, NpgsqlDbType.Uuid, cancellationToken);
                await chirps.WriteAsync(chirp.Body, NpgsqlDbType.Text, cancellationToken);
                await chirps.WriteAsync(chirp.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            }

            await chirps.CompleteAsync(cancellationToken);
        }

        await using (var outbox = await connection.BeginBinaryImportAsync("COPY outbox (event_id, topic, key, type, payload, headers, created_at, sent_at, attempts) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var row in Outbox)
            {
                await outbox.StartRowAsync(cancellationToken);
                await outbox.WriteAsync(row.EventId, NpgsqlDbType.Uuid, cancellationToken);
                await outbox.WriteAsync("chirp.events", NpgsqlDbType.Text, cancellationToken);
                await outbox.WriteAsync(row.Key, NpgsqlDbType.Text, cancellationToken);
                await outbox.WriteAsync(row.Type, NpgsqlDbType.Text, cancellationToken);
                await outbox.WriteAsync(row.Payload, NpgsqlDbType.Jsonb, cancellationToken);
                await outbox.WriteAsync(row.Headers, NpgsqlDbType.Jsonb, cancellationToken);
                await outbox.WriteAsync(row.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await WriteNullableAsync(outbox, row.SentAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await outbox.WriteAsync(row.SentAt is null ? 0 : 1, NpgsqlDbType.Integer, cancellationToken);
            }

            await outbox.CompleteAsync(cancellationToken);
        }

        await using (var records = await connection.BeginBinaryImportAsync("COPY idempotency_keys (scope, key_hash, request_hash, response_status, response, created_at, expires_at) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var record in IdempotencyRecords)
            {
                await records.StartRowAsync(cancellationToken);
                await records.WriteAsync(record.Scope, NpgsqlDbType.Text, cancellationToken);
                await records.WriteAsync(record.KeyHash, NpgsqlDbType.Bytea, cancellationToken);
                await records.WriteAsync(record.RequestHash, NpgsqlDbType.Bytea, cancellationToken);
                await records.WriteAsync(record.Status, NpgsqlDbType.Integer, cancellationToken);
                await records.WriteAsync(record.Response, NpgsqlDbType.Bytea, cancellationToken);
                await records.WriteAsync(record.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await records.WriteAsync(record.ExpiresAt, NpgsqlDbType.TimestampTz, cancellationToken);
            }

            await records.CompleteAsync(cancellationToken);
        }
    }

    private static OutboxEvent Event(Faker faker, Guid actor, string type, object data, DateTime occurredAt)
    {
        var eventId = faker.Random.Guid();
        var payload = JsonSerializer.Serialize(new { eventId, type, occurredAt, actorId = actor, data });
        var headers = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["traceparent"] = $"00-{faker.Random.Hash(32)}-{faker.Random.Hash(16)}-01",
            ["event-type"] = type,
            ["content-type"] = "application/json",
        });
        return new OutboxEvent(eventId, actor.ToString(), type, payload, headers, occurredAt, faker.Random.Bool(0.9f) ? occurredAt.AddSeconds(1) : null);
    }

    /// <summary>Bogus user names hold dots and dashes; a handle is ^[A-Za-z0-9_]{3,30}$.</summary>
    private static string Handle(string userName)
    {
        var handle = new string(userName.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
        return handle.Length < 3 ? handle + "___" : handle[..Math.Min(handle.Length, 26)];
    }

    private static string Unique(string value, HashSet<string> taken, int index)
    {
        var candidate = value;
        if (!taken.Add(candidate))
        {
            var at = value.IndexOf('@', StringComparison.Ordinal);
            var suffix = index.ToString(CultureInfo.InvariantCulture);
            candidate = at < 0 ? value + suffix : value[..at] + suffix + value[at..];
            taken.Add(candidate);
        }

        return candidate;
    }

    private static string Cut(string text, int maxCodePoints) => text.Length <= maxCodePoints ? text : text[..maxCodePoints].TrimEnd();

    private static async Task WriteNullableAsync<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            await importer.WriteNullAsync(cancellationToken);
        }
        else
        {
            await importer.WriteAsync(value, type, cancellationToken);
        }
    }

    internal sealed record User(Guid Id, string Handle, string Email, string DisplayName, string? Bio, DateTime CreatedAt);

    internal sealed record ApiKey(Guid Id, Guid UserId, string Prefix, byte[] KeyHash, DateTime CreatedAt, DateTime? RevokedAt);

    internal sealed record Chirp(Guid Id, Guid AuthorId, string Body, DateTime CreatedAt);

    internal sealed record OutboxEvent(Guid EventId, string Key, string Type, string Payload, string Headers, DateTime CreatedAt, DateTime? SentAt);

    internal sealed record IdempotencyRecord(string Scope, byte[] KeyHash, byte[] RequestHash, int Status, byte[] Response, DateTime CreatedAt, DateTime ExpiresAt);
}
