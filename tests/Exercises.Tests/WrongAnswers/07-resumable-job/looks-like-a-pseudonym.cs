using Npgsql;

namespace Lab;

// Wrong: a row counts as done when its email looks like a pseudonym. Resumable and idempotent on the first dataset,
// but on the second some real customers signed up with such addresses, and they are never masked.
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
                    UPDATE {table} SET email = pseudonymize_email(email)
                    WHERE id IN (SELECT id FROM {table} WHERE email NOT LIKE 'user\_%@snapshot.invalid' ORDER BY id LIMIT {BatchSize})
                    """);
                if (await batch.ExecuteNonQueryAsync(cancellationToken) == 0)
                {
                    break;
                }
            }
        }
    }
}
