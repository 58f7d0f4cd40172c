using Npgsql;

namespace Lab;

// Wrong: the batch is claimed in masking_progress (committed on its own) before it is masked. A crash in the middle
// of the batch rolls the batch back but not the claim, and the restart skips rows that were never masked.
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
                await using var next = work.CreateCommand($"SELECT max(id) FROM (SELECT id FROM {table} WHERE id > $1 ORDER BY id LIMIT {BatchSize}) AS batch");
                next.Parameters.AddWithValue(lastId);
                if (await next.ExecuteScalarAsync(cancellationToken) is not long batchEnd)
                {
                    break;
                }

                await using var claim = work.CreateCommand("""
                    INSERT INTO masking_progress (table_name, last_id) VALUES ($1, $2)
                    ON CONFLICT (table_name) DO UPDATE SET last_id = excluded.last_id, updated_at = now()
                    """);
                claim.Parameters.AddWithValue(table);
                claim.Parameters.AddWithValue(batchEnd);
                await claim.ExecuteNonQueryAsync(cancellationToken);

                await using var batch = work.CreateCommand($"UPDATE {table} SET email = pseudonymize_email(email) WHERE id > $1 AND id <= $2");
                batch.Parameters.AddWithValue(lastId);
                batch.Parameters.AddWithValue(batchEnd);
                await batch.ExecuteNonQueryAsync(cancellationToken);
                lastId = batchEnd;
            }
        }
    }
}
