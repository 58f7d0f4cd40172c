using Npgsql;

namespace Lab;

// Accepted: one statement per batch reads the record, masks the rows and moves the record, so the batch and its record
// commit together without an explicit transaction (a single statement is atomic).
public static class MaskingStep
{
    private const int BatchSize = 1000;

    private static readonly string[] s_tables = ["customers", "orders"];

    public static async Task RunAsync(NpgsqlDataSource work, CancellationToken cancellationToken)
    {
        foreach (var table in s_tables)
        {
            while (true)
            {
                await using var batch = work.CreateCommand($"""
                    WITH last AS (
                        SELECT coalesce((SELECT last_id FROM masking_progress WHERE table_name = $1), 0) AS id),
                    masked AS (
                        UPDATE {table} SET email = pseudonymize_email(email)
                        WHERE id IN (SELECT id FROM {table} WHERE id > (SELECT id FROM last) ORDER BY id LIMIT {BatchSize})
                        RETURNING id),
                    moved AS (
                        INSERT INTO masking_progress (table_name, last_id)
                        SELECT $1, max(id) FROM masked HAVING count(*) > 0
                        ON CONFLICT (table_name) DO UPDATE SET last_id = excluded.last_id, updated_at = now()
                        RETURNING last_id)
                    SELECT count(*) FROM moved
                    """);
                batch.Parameters.AddWithValue(table);
                if (await batch.ExecuteScalarAsync(cancellationToken) is 0L)
                {
                    break;
                }
            }
        }
    }
}
