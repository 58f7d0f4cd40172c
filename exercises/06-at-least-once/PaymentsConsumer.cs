using Confluent.Kafka;
using Npgsql;

namespace Lab;

/// <summary>
/// Exercise 06: applies each payment read from Kafka to the ledger, exactly once, even when the process is killed
/// at the worst moment. The README tells the story; then run ./lab verify 6.
/// </summary>
/// <remarks>
/// The payment (defined by the checker): record Payment(Guid EventId, string AccountId, long AmountCents),
/// read with Payment.Parse(message value). The tables (search_path is the exercise schema):
///   ledger_entries (entry_id, event_id, account_id, amount_cents, applied_at): the effect, one row per payment
///   processed_events (event_id primary key, processed_at): free for you to use
/// </remarks>
public static class PaymentsConsumer
{
    /// <summary>The consumer's settings, before the checker builds it (group, servers and topic are set already).</summary>
    public static void Configure(ConsumerConfig config)
    {
        // Kafka's default, written out: offsets are committed in the background, every few seconds.
        config.EnableAutoCommit = true;
    }

    /// <summary>The consume loop. The checker kills the process while this runs; it never returns on its own.</summary>
    public static async Task RunAsync(IConsumer<string, string> consumer, NpgsqlDataSource ledger, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var result = consumer.Consume(cancellationToken);
            var payment = Payment.Parse(result.Message.Value);

            await using var insert = ledger.CreateCommand(
                "INSERT INTO ledger_entries (event_id, account_id, amount_cents) VALUES ($1, $2, $3)");
            insert.Parameters.AddWithValue(payment.EventId);
            insert.Parameters.AddWithValue(payment.AccountId);
            insert.Parameters.AddWithValue(payment.AmountCents);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
