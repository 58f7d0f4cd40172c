using Npgsql;

namespace Lab;

// Wrong: progress is recorded, but in a transaction of its own after the batch has committed. A crash between the
// two leaves a masked batch that the record does not know about, and the restart masks it again.
public static class MaskingStep
{
    private const int BatchSize = 1000;

    private static readonly string[] s_tables = ["customers", "orders"];

    public static async Task RunAsync(NpgsqlDataSource work, CancellationToken cancellationToken)
    {
        foreach (var table in s_tables)
        {
            await using var read = work.CreateCommand("SELECT last_id FROM masking_progress WHERE table_name = $1");
            read.Parameters.AddWithValue(table);
            var lastId = await read.ExecuteScalarAsync(cancellationToken) as long? ?? 0;
            while (true)
            {
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

                await using var record = work.CreateCommand("""
                    INSERT INTO masking_progress (table_name, last_id) VALUES ($1, $2)
                    ON CONFLICT (table_name) DO UPDATE SET last_id = excluded.last_id, updated_at = now()
                    """);
                record.Parameters.AddWithValue(table);
                record.Parameters.AddWithValue(batchEnd);
                await record.ExecuteNonQueryAsync(cancellationToken);
                lastId = batchEnd;
            }
        }
    }
}
