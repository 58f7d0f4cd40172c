using Confluent.Kafka;
using Npgsql;

namespace Lab;

// Wrong: the event is published before the order is saved.
public static class OrderOutbox
{
    public static async Task PlaceOrderAsync(Order order, NpgsqlDataSource database, IProducer<string, string> producer, string topic, CancellationToken cancellationToken)
    {
        // Announce first, so that nobody hears of an order later than it exists; then save it.
        var placed = OrderPlaced.For(order);
        await producer.ProduceAsync(topic, new Message<string, string> { Key = order.CustomerId, Value = placed.ToJson() }, cancellationToken);

        await using var insert = database.CreateCommand("INSERT INTO orders (id, customer_id, sequence, total_cents) VALUES ($1, $2, $3, $4)");
        insert.Parameters.AddWithValue(order.Id);
        insert.Parameters.AddWithValue(order.CustomerId);
        insert.Parameters.AddWithValue(order.Sequence);
        insert.Parameters.AddWithValue(order.TotalCents);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    public static Task<int> RelayAsync(NpgsqlDataSource database, IProducer<string, string> producer, string topic, CancellationToken cancellationToken) =>
        Task.FromResult(0);
}
