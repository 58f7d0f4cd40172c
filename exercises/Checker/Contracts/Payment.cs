using System.Text.Json;

namespace Lab;

/// <summary>Exercise 06: a payment to apply to the ledger, once. The Kafka message value is its JSON.</summary>
/// <param name="EventId">Unique per payment: the key for deduplication.</param>
/// <param name="AccountId">The account credited.</param>
/// <param name="AmountCents">The amount, in cents.</param>
public sealed record Payment(Guid EventId, string AccountId, long AmountCents)
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public static Payment Parse(string json) =>
        JsonSerializer.Deserialize<Payment>(json, s_json) ?? throw new FormatException("The message is not a payment.");

    public string ToJson() => JsonSerializer.Serialize(this, s_json);
}
