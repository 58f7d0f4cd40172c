using System.Text.Json;

namespace Lab;

/// <summary>Exercise 11: an order a customer places. A customer's orders are numbered 1, 2, 3... in <see cref="Sequence"/>.</summary>
public sealed record Order(Guid Id, string CustomerId, int Sequence, long TotalCents);

/// <summary>
/// Exercise 11: the event that says an order was placed; the Kafka message value is its JSON, the key its customer.
/// <see cref="EventId"/> is made once, when the order is written: a consumer that gets the event twice knows it by it.
/// </summary>
public sealed record OrderPlaced(Guid EventId, Guid OrderId, string CustomerId, int Sequence, long TotalCents)
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    /// <summary>A new event for <paramref name="order"/>, with a new id.</summary>
    public static OrderPlaced For(Order order) => new(Guid.NewGuid(), order.Id, order.CustomerId, order.Sequence, order.TotalCents);

    public static OrderPlaced Parse(string json) =>
        JsonSerializer.Deserialize<OrderPlaced>(json, s_json) ?? throw new FormatException("The message is not an OrderPlaced event.");

    public string ToJson() => JsonSerializer.Serialize(this, s_json);
}
