using Confluent.Kafka;
using Npgsql;

namespace Lab;

// Also right: one relay publishes at a time (a transaction-scoped advisory lock); the others stand by. Batches in id
// order keep each customer's order, and nobody waits for a lock.
public static class OrderOutbox
{
    private const int BatchSize = 50;

    public static async Task PlaceOrderAsync(Order order, NpgsqlDataSource database, IProducer<string, string> producer, string topic, CancellationToken cancellationToken)
    {
        // No Kafka here: the event is a row, saved with the order or not at all. The relay publishes it after the commit.
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

        // The event id is made once, here: every copy the relay may publish carries it.
        var placed = OrderPlaced.For(order);
        await using (var outbox = new NpgsqlCommand("INSERT INTO outbox (event_id, key, payload) VALUES ($1, $2, $3)", connection, transaction))
        {
            outbox.Parameters.AddWithValue(placed.EventId);
            outbox.Parameters.AddWithValue(order.CustomerId);
            outbox.Parameters.AddWithValue(placed.ToJson());
            await outbox.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public static async Task<int> RelayAsync(NpgsqlDataSource database, IProducer<string, string> producer, string topic, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // One relay at a time: the others find the lock taken and come back later (a standby, never waiting).
        await using (var leader = new NpgsqlCommand("SELECT pg_try_advisory_xact_lock(11)", connection, transaction))
        {
            if (await leader.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return 0;
            }
        }

        var rows = new List<(long Id, string Key, string Payload)>();
        await using (var claim = new NpgsqlCommand($"""
            SELECT id, key, payload FROM outbox
            WHERE published_at IS NULL
            ORDER BY id
            LIMIT {BatchSize}
            FOR UPDATE SKIP LOCKED
            """, connection, transaction))
        await using (var reader = await claim.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        if (rows.Count == 0)
        {
            return 0;
        }

        // Published means acknowledged by Kafka. A crash from here to the commit leaves the rows unmarked: the next pass
        // publishes them again, with the same event ids, which consumers drop as duplicates.
        // All sent at once (the producer keeps their order per partition), then every acknowledgement awaited.
        await Task.WhenAll(rows.Select(row => producer.ProduceAsync(topic, new Message<string, string> { Key = row.Key, Value = row.Payload }, cancellationToken)));

        await using (var mark = new NpgsqlCommand("UPDATE outbox SET published_at = now() WHERE id = ANY($1)", connection, transaction))
        {
            mark.Parameters.AddWithValue(rows.Select(row => row.Id).ToArray());
            await mark.ExecuteNonQueryAsync(CancellationToken.None);
        }

        await transaction.CommitAsync(CancellationToken.None);
        return rows.Count;
    }
}
