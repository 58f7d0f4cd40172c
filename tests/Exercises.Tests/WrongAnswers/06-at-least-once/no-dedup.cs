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
        // We commit ourselves, and only once the payment is durable in the ledger.
        config.EnableAutoCommit = false;
    }

    public static async Task RunAsync(IConsumer<string, string> consumer, NpgsqlDataSource ledger, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var result = consumer.Consume(cancellationToken);
            var payment = Payment.Parse(result.Message.Value);

            // Committed after the work, but nothing remembers what was applied: a redelivery applies it again.
            await using var insert = ledger.CreateCommand(
                "INSERT INTO ledger_entries (event_id, account_id, amount_cents) VALUES ($1, $2, $3)");
            insert.Parameters.AddWithValue(payment.EventId);
            insert.Parameters.AddWithValue(payment.AccountId);
            insert.Parameters.AddWithValue(payment.AmountCents);
            await insert.ExecuteNonQueryAsync(cancellationToken);

            consumer.Commit(result);
        }
    }
}
