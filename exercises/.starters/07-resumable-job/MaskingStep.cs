using Npgsql;

namespace Lab;

/// <summary>
/// Exercise 07: the snapshot job's masking step. It replaces every email in the work copy with its pseudonym, batch by
/// batch, and must leave each one masked exactly once, however often it is killed and started again. The README tells
/// the story; then run ./lab verify 7.
/// </summary>
/// <remarks>
/// The work copy (the connections' search_path is the exercise schema):
///   customers (id, email, signed_up_at)                      orders (id, customer_id, email, total_cents, placed_at)
///   masking_progress (table_name primary key, last_id, updated_at): free for you to use
///   pseudonymize_email(email): the mask, keyed with this run's key; masking a pseudonym again gives another one
/// </remarks>
public static class MaskingStep
{
    private const int BatchSize = 1000;

    /// <summary>The tables whose email column holds a customer's address, masked in this order.</summary>
    private static readonly string[] s_tables = ["customers", "orders"];

    /// <summary>Masks every email of the work copy. The checker runs this in a process of its own, and kills it.</summary>
    public static async Task RunAsync(NpgsqlDataSource work, CancellationToken cancellationToken)
    {
        foreach (var table in s_tables)
        {
            var lastId = 0L;
            while (true)
            {
                // One batch: the next rows by id, masked and committed on their own (autocommit). Returns the batch's last id.
                await using var batch = work.CreateCommand($"""
                    WITH batch AS (
                        UPDATE {table} SET email = pseudonymize_email(email)
                        WHERE id IN (SELECT id FROM {table} WHERE id > $1 ORDER BY id LIMIT {BatchSize})
                        RETURNING id)
                    SELECT max(id) FROM batch
                    """);
                batch.Parameters.AddWithValue(lastId);
                if (await batch.ExecuteScalarAsync(cancellationToken) is not long batchEnd)
                {
                    break;
                }

                lastId = batchEnd;
            }
        }
    }
}
