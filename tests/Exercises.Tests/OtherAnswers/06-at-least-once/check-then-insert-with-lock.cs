using Confluent.Kafka;
using Npgsql;

namespace Lab;

// Accepted: looks the event up in processed_events under a transaction-level advisory lock on the event, and writes
// the mark and the ledger row in that same transaction; the offset after the commit.
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
            var result = consumer.Consume(cancellationToken);
            var payment = Payment.Parse(result.Message.Value);
            await using (var connection = await ledger.OpenConnectionAsync(cancellationToken))
            await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
            {
                await using var lockEvent = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext($1::text))", connection, transaction);
                lockEvent.Parameters.AddWithValue(payment.EventId);
                await lockEvent.ExecuteNonQueryAsync(cancellationToken);
                await using var seen = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM processed_events WHERE event_id = $1)", connection, transaction);
                seen.Parameters.AddWithValue(payment.EventId);
                if (await seen.ExecuteScalarAsync(cancellationToken) is not true)
                {
                    await using var apply = new NpgsqlCommand(
                        "INSERT INTO ledger_entries (event_id, account_id, amount_cents) VALUES ($1, $2, $3)", connection, transaction);
                    apply.Parameters.AddWithValue(payment.EventId);
                    apply.Parameters.AddWithValue(payment.AccountId);
                    apply.Parameters.AddWithValue(payment.AmountCents);
                    await apply.ExecuteNonQueryAsync(cancellationToken);
                    await using var mark = new NpgsqlCommand("INSERT INTO processed_events (event_id) VALUES ($1)", connection, transaction);
                    mark.Parameters.AddWithValue(payment.EventId);
                    await mark.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
            }

            consumer.Commit(result);
        }
    }
}
