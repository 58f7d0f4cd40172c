using Confluent.Kafka;
using Npgsql;

namespace Lab;

// Accepted: the ledger itself refuses a second row per event (a unique index), so ON CONFLICT DO NOTHING makes a
// redelivery harmless without a separate dedup table. One statement, one transaction; the offset after it.
public static class PaymentsConsumer
{
    public static void Configure(ConsumerConfig config)
    {
        config.EnableAutoCommit = false;
    }

    public static async Task RunAsync(IConsumer<string, string> consumer, NpgsqlDataSource ledger, CancellationToken cancellationToken)
    {
        await using (var unique = ledger.CreateCommand("CREATE UNIQUE INDEX IF NOT EXISTS ledger_entries_event_id_key ON ledger_entries (event_id)"))
        {
            await unique.ExecuteNonQueryAsync(cancellationToken);
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            var result = consumer.Consume(cancellationToken);
            var payment = Payment.Parse(result.Message.Value);
            await using var apply = ledger.CreateCommand(
                "INSERT INTO ledger_entries (event_id, account_id, amount_cents) VALUES ($1, $2, $3) ON CONFLICT (event_id) DO NOTHING");
            apply.Parameters.AddWithValue(payment.EventId);
            apply.Parameters.AddWithValue(payment.AccountId);
            apply.Parameters.AddWithValue(payment.AmountCents);
            await apply.ExecuteNonQueryAsync(cancellationToken);
            consumer.Commit(result);
        }
    }
}
