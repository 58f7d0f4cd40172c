using Confluent.Kafka;
using Npgsql;

namespace Lab;

// Wrong: the event is published inside the transaction, and the commit comes after it.
public static class OrderOutbox
{
    public static async Task PlaceOrderAsync(Order order, NpgsqlDataSource database, IProducer<string, string> producer, string topic, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = new NpgsqlCommand("INSERT INTO orders (id, customer_id, sequence, total_cents) VALUES ($1, $2, $3, $4)", connection, transaction))
        {
            insert.Parameters.AddWithValue(order.Id);
            insert.Parameters.AddWithValue(order.CustomerId);
            insert.Parameters.AddWithValue(order.Sequence);
            insert.Parameters.AddWithValue(order.TotalCents);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        // Published inside the transaction: if Kafka fails, the order rolls back with it. Surely atomic?
        var placed = OrderPlaced.For(order);
        await producer.ProduceAsync(topic, new Message<string, string> { Key = order.CustomerId, Value = placed.ToJson() }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public static Task<int> RelayAsync(NpgsqlDataSource database, IProducer<string, string> producer, string topic, CancellationToken cancellationToken) =>
        Task.FromResult(0);
}
