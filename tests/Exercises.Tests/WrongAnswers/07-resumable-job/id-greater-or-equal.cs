// Wrong: each batch starts at the previous batch's last id (>=): that row is masked again, and the last batch never ends.
using Npgsql;

namespace Lab;

/// <summary>
/// Exercise 07: the snapshot job's masking step. It replaces every email in the work copy with its pseudonym, batch by
/// batch, and leaves each one masked exactly once, however often it is killed and started again.
/// </summary>
public static class MaskingStep
{
    private const int BatchSize = 1000;

    private static readonly string[] s_tables = ["customers", "orders"];

    public static async Task RunAsync(NpgsqlDataSource work, CancellationToken cancellationToken)
    {
        foreach (var table in s_tables)
        {
            while (await MaskNextBatchAsync(work, table, cancellationToken))
            {
            }
        }
    }

    /// <summary>
    /// One batch, in one transaction: read how far the table got, mask the next rows, record the new position. A crash
    /// anywhere in between rolls back all of it, so the record always says exactly which rows are masked. False when
    /// no row is left, which is also what a run after a finished one finds at once.
    /// </summary>
    private static async Task<bool> MaskNextBatchAsync(NpgsqlDataSource work, string table, CancellationToken cancellationToken)
    {
        await using var connection = await work.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using var read = new NpgsqlCommand("SELECT last_id FROM masking_progress WHERE table_name = $1", connection, transaction);
        read.Parameters.AddWithValue(table);
        var lastId = await read.ExecuteScalarAsync(cancellationToken) as long? ?? 0;

        await using var mask = new NpgsqlCommand($"""
            WITH batch AS (
                UPDATE {table} SET email = pseudonymize_email(email)
                WHERE id IN (SELECT id FROM {table} WHERE id >= $1 ORDER BY id LIMIT {BatchSize})
                RETURNING id)
            SELECT max(id) FROM batch
            """, connection, transaction);
        mask.Parameters.AddWithValue(lastId);
        if (await mask.ExecuteScalarAsync(cancellationToken) is not long batchEnd)
        {
            return false;
        }

        await using var record = new NpgsqlCommand("""
            INSERT INTO masking_progress (table_name, last_id) VALUES ($1, $2)
            ON CONFLICT (table_name) DO UPDATE SET last_id = excluded.last_id, updated_at = now()
            """, connection, transaction);
        record.Parameters.AddWithValue(table);
        record.Parameters.AddWithValue(batchEnd);
        await record.ExecuteNonQueryAsync(cancellationToken);

        // The batch and its record become durable together: there is no moment in which one is saved without the other.
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
