using Npgsql;

namespace Lab;

// Accepted: a marker column set in the same UPDATE as the mask. Each batch takes rows not yet marked, so the mark and
// the pseudonym commit together, and any run continues with what is left.
public static class MaskingStep
{
    private const int BatchSize = 1000;

    private static readonly string[] s_tables = ["customers", "orders"];

    public static async Task RunAsync(NpgsqlDataSource work, CancellationToken cancellationToken)
    {
        foreach (var table in s_tables)
        {
            await using var add = work.CreateCommand($"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS masked boolean NOT NULL DEFAULT false");
            await add.ExecuteNonQueryAsync(cancellationToken);
            while (true)
            {
                await using var batch = work.CreateCommand($"""
                    UPDATE {table} SET email = pseudonymize_email(email), masked = true
                    WHERE id IN (SELECT id FROM {table} WHERE NOT masked ORDER BY id LIMIT {BatchSize})
                    """);
                if (await batch.ExecuteNonQueryAsync(cancellationToken) == 0)
                {
                    break;
                }
            }
        }
    }
}
