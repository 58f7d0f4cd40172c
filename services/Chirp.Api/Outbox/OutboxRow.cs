namespace Chirp.Api.Outbox;

/// <summary>An outbox row as the relay claims it; payload and headers as JSON text.</summary>
public sealed record OutboxRow
{
    public long Id { get; init; }

    public Guid EventId { get; init; }

    public string Topic { get; init; } = "";

    public string Key { get; init; } = "";

    public string Type { get; init; } = "";

    public string Payload { get; init; } = "";

    public string Headers { get; init; } = "{}";
}
