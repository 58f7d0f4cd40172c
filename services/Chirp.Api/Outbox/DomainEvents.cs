using Chirp.Api.ApiKeys;
using Chirp.Api.Chirps;
using Chirp.Api.Users;

namespace Chirp.Api.Outbox;

/// <summary>The events Chirp.Api publishes, one factory per type (docs/events.md lists their data).</summary>
public static class DomainEvents
{
    public const string UserCreated = "user.created";
    public const string ApiKeyCreated = "apikey.created";
    public const string ApiKeyRevoked = "apikey.revoked";
    public const string ChirpCreated = "chirp.created";
    public const string ChirpDeleted = "chirp.deleted";

    // The email stays out of events on purpose: the audit log is append-only, and personal data there could never be erased.
    public static EventEnvelope ForUserCreated(UserResponse user) =>
        New(UserCreated, user.CreatedAt, user.Id, "user", user.Id, new { user.Handle, user.DisplayName });

    // Only the key's id and public prefix: never the key or its hash.
    public static EventEnvelope ForApiKeyCreated(ApiKeyRecord key) =>
        New(ApiKeyCreated, key.CreatedAt, key.UserId, "api_key", key.Id, new { KeyId = key.Id, key.Prefix });

    public static EventEnvelope ForApiKeyRevoked(ApiKeyRecord key) =>
        New(ApiKeyRevoked, key.RevokedAt ?? key.CreatedAt, key.UserId, "api_key", key.Id, new { KeyId = key.Id, key.Prefix });

    public static EventEnvelope ForChirpCreated(ChirpResponse chirp) =>
        New(ChirpCreated, chirp.CreatedAt, chirp.AuthorId, "chirp", chirp.Id, new { chirp.Body });

    public static EventEnvelope ForChirpDeleted(Guid authorId, Guid chirpId, DateTime deletedAt) =>
        New(ChirpDeleted, deletedAt, authorId, "chirp", chirpId, new { });

    private static EventEnvelope New(string type, DateTime occurredAt, Guid actorId, string resourceType, Guid resourceId, object data) =>
        new(Guid.CreateVersion7(), type, EventEnvelope.FormatTime(occurredAt), actorId, resourceType, resourceId, data);
}
