using Confluent.Kafka;
using Npgsql;

namespace Lab;

// Accepted: up to 20 payments per transaction (marks and ledger rows together), then one commit of each partition's
// next offset (the highest in the batch + 1) once the transaction has committed.
public static class PaymentsConsumer
{
    public static void Configure(ConsumerConfig config)
    {
        config.EnableAutoCommit = false;
    }

    public static async Task RunAsync(IConsumer<string, string> consumer, NpgsqlDataSource ledger, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var batch = new List<Payment>();
            var results = new List<ConsumeResult<string, string>>();
            while (batch.Count < 20 && consumer.Consume(TimeSpan.FromMilliseconds(100)) is { Message: { } message } result)
            {
                batch.Add(Payment.Parse(message.Value));
                results.Add(result);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            await using (var connection = await ledger.OpenConnectionAsync(cancellationToken))
            await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
            {
                foreach (var payment in batch)
                {
                    await using var mark = new NpgsqlCommand(
                        "INSERT INTO processed_events (event_id) VALUES ($1) ON CONFLICT DO NOTHING", connection, transaction);
                    mark.Parameters.AddWithValue(payment.EventId);
                    if (await mark.ExecuteNonQueryAsync(cancellationToken) == 0)
                    {
                        continue;
                    }

                    await using var apply = new NpgsqlCommand(
                        "INSERT INTO ledger_entries (event_id, account_id, amount_cents) VALUES ($1, $2, $3)", connection, transaction);
                    apply.Parameters.AddWithValue(payment.EventId);
                    apply.Parameters.AddWithValue(payment.AccountId);
                    apply.Parameters.AddWithValue(payment.AmountCents);
                    await apply.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
            }

            consumer.Commit(results
                .GroupBy(result => result.TopicPartition)
                .Select(partition => new TopicPartitionOffset(partition.Key, partition.Max(result => result.Offset.Value) + 1)));
        }
    }
}
