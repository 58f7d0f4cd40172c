namespace Chirp.Api.ApiKeys;

/// <summary>A newly made key. <see cref="Key"/> appears in this response only: the API stores its hash.</summary>
public sealed record NewApiKeyResponse(Guid Id, string Prefix, string Key, DateTime CreatedAt);

/// <summary>An api_keys row, without the hash.</summary>
public sealed record ApiKeyRecord
{
    public Guid Id { get; init; }

    public Guid UserId { get; init; }

    public string Prefix { get; init; } = "";

    public DateTime CreatedAt { get; init; }

    public DateTime? RevokedAt { get; init; }
}

/// <summary>What authentication needs to check a presented key.</summary>
public sealed record ApiKeyCredential
{
    public Guid Id { get; init; }

    public Guid UserId { get; init; }

    public byte[] KeyHash { get; init; } = [];

    public DateTime? RevokedAt { get; init; }
}
