namespace Chirp.Api.Idempotency;

/// <summary>A stored idempotency record; <see cref="Response"/> is sealed (see <see cref="ResponseSeal"/>).</summary>
public sealed record IdempotencyRecord
{
    public byte[] RequestHash { get; init; } = [];

    public int? ResponseStatus { get; init; }

    public byte[]? Response { get; init; }
}
