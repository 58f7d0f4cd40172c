using Npgsql;

namespace Lab;

// Accepted: each table masked in one transaction that also records the table as done, as Snapshot.Job does. Correct,
// but a crash throws away all the table's work, and the transaction locks every row until it ends.
public static class MaskingStep
{
    private static readonly string[] s_tables = ["customers", "orders"];

    public static async Task RunAsync(NpgsqlDataSource work, CancellationToken cancellationToken)
    {
        foreach (var table in s_tables)
        {
            await using var connection = await work.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var done = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM masking_progress WHERE table_name = $1)", connection, transaction);
            done.Parameters.AddWithValue(table);
            if (await done.ExecuteScalarAsync(cancellationToken) is true)
            {
                continue;
            }

            await using var mask = new NpgsqlCommand($"UPDATE {table} SET email = pseudonymize_email(email)", connection, transaction);
            await mask.ExecuteNonQueryAsync(cancellationToken);
            await using var record = new NpgsqlCommand($"INSERT INTO masking_progress (table_name, last_id) SELECT $1, coalesce(max(id), 0) FROM {table}", connection, transaction);
            record.Parameters.AddWithValue(table);
            await record.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }
}
