// Wrong: stores the offset for auto-commit before the transaction commits; a crash in between loses the payment.
using Confluent.Kafka;
using Npgsql;

namespace Lab;

/// <summary>
/// Exercise 06: applies each payment read from Kafka to the ledger, exactly once, even when the process is killed
/// at the worst moment.
/// </summary>
public static class PaymentsConsumer
{
    public static void Configure(ConsumerConfig config)
    {
        // Auto-commit sends what we store; we store each offset ourselves.
        config.EnableAutoCommit = true;
        config.EnableAutoOffsetStore = false;
    }

    public static async Task RunAsync(IConsumer<string, string> consumer, NpgsqlDataSource ledger, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var result = consumer.Consume(cancellationToken);
            var payment = Payment.Parse(result.Message.Value);

            await using (var connection = await ledger.OpenConnectionAsync(cancellationToken))
            await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
            {
                // The mark and the effect commit together or not at all. A redelivered payment finds its mark and is skipped.
                await using var mark = new NpgsqlCommand(
                    "INSERT INTO processed_events (event_id) VALUES ($1) ON CONFLICT (event_id) DO NOTHING", connection, transaction);
                mark.Parameters.AddWithValue(payment.EventId);
                if (await mark.ExecuteNonQueryAsync(cancellationToken) == 1)
                {
                    await using var apply = new NpgsqlCommand(
                        "INSERT INTO ledger_entries (event_id, account_id, amount_cents) VALUES ($1, $2, $3)", connection, transaction);
                    apply.Parameters.AddWithValue(payment.EventId);
                    apply.Parameters.AddWithValue(payment.AccountId);
                    apply.Parameters.AddWithValue(payment.AmountCents);
                    await apply.ExecuteNonQueryAsync(cancellationToken);
                }

                // Stored before the transaction commits: auto-commit may send it at any moment.
                consumer.StoreOffset(result);
                await transaction.CommitAsync(cancellationToken);
            }
        }
    }
}
