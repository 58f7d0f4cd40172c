using Npgsql;

namespace Lab;

// Wrong: resumable, but it clears its progress when it is done, to leave things tidy. The next run of the finished
// step (a retry, or the next night's run resuming) finds no record and masks everything again.
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

        await using var tidy = work.CreateCommand("DELETE FROM masking_progress");
        await tidy.ExecuteNonQueryAsync(cancellationToken);
    }

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
                WHERE id IN (SELECT id FROM {table} WHERE id > $1 ORDER BY id LIMIT {BatchSize})
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
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
