using Npgsql;
using NpgsqlTypes;
using Snapshot.Job.Database;
using Snapshot.Job.Masking;

namespace Snapshot.Job.State;

/// <summary>Reads and writes the snapshot_job schema of a work database (create_state.sql).</summary>
internal sealed class RunState(NpgsqlDataSource work)
{
    /// <summary>The run recorded in the work database with its completed steps; null if step 1 never completed there.</summary>
    public async Task<(RunInfo Run, IReadOnlyList<CompletedStep> Steps)?> ReadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await work.OpenConnectionAsync(cancellationToken);
        await using (var exists = new NpgsqlCommand(SqlText.Load("State/state_exists.sql"), connection))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                return null;
            }
        }

        RunInfo? run = null;
        await using (var select = new NpgsqlCommand(SqlText.Load("State/select_run.sql"), connection))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                run = new RunInfo(
                    reader.GetGuid(0),
                    reader.GetString(1),
                    reader.GetInt32(2),
                    reader.GetString(3),
                    new RunKey(reader.GetFieldValue<byte[]>(4)),
                    reader.GetString(5),
                    reader.GetString(6),
                    reader.IsDBNull(7) ? null : reader.GetString(7),
                    reader.GetFieldValue<DateTimeOffset>(8),
                    reader.GetInt32(9));
            }
        }

        if (run is null)
        {
            return null;
        }

        var steps = new List<CompletedStep>();
        await using (var select = new NpgsqlCommand(SqlText.Load("State/select_steps.sql"), connection))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                steps.Add(new CompletedStep(
                    reader.GetInt32(0),
                    reader.GetString(1),
                    reader.GetInt64(2),
                    reader.GetInt64(3),
                    reader.GetFieldValue<DateTimeOffset>(4)));
            }
        }

        return (run, steps);
    }

    /// <summary>Creates the state schema, the run's row and step 1's row in one transaction.</summary>
    public async Task CreateAsync(RunInfo run, CompletedStep copy, CancellationToken cancellationToken)
    {
        await using var connection = await work.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var create = new NpgsqlCommand(SqlText.Load("State/create_state.sql"), connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var insert = new NpgsqlCommand(SqlText.Load("State/insert_run.sql"), connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = run.Id });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = run.Application });
            insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = run.RulesVersion });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = run.RulesSha256 });
            insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = run.Key.Bytes });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = run.SourceDatabase });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = run.SourceServerVersion });
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)run.SourceSchemaVersion ?? DBNull.Value });
            insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = run.StartedAt });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await InsertStepAsync(connection, transaction, copy, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task RecordStepAsync(CompletedStep step, CancellationToken cancellationToken)
    {
        await using var connection = await work.OpenConnectionAsync(cancellationToken);
        await InsertStepAsync(connection, transaction: null, step, cancellationToken);
    }

    /// <summary>Counts one more process working on the run, and returns the new count.</summary>
    public async Task<int> CountAttemptAsync(CancellationToken cancellationToken)
    {
        await using var connection = await work.OpenConnectionAsync(cancellationToken);
        await using var update = new NpgsqlCommand(SqlText.Load("State/count_attempt.sql"), connection);
        return (int)(await update.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The rows of a unit committed earlier, or null; call inside the unit's own transaction.</summary>
    public static async Task<long?> FindUnitAsync(NpgsqlTransaction transaction, int step, string unit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        await using var select = new NpgsqlCommand(SqlText.Load("State/select_unit.sql"), transaction.Connection, transaction);
        select.Parameters.Add(new NpgsqlParameter<int> { TypedValue = step });
        select.Parameters.Add(new NpgsqlParameter<string> { TypedValue = unit });
        return await select.ExecuteScalarAsync(cancellationToken) as long?;
    }

    /// <summary>Records a unit as done, in the transaction that did its work.</summary>
    public static async Task RecordUnitAsync(NpgsqlTransaction transaction, int step, string unit, long rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        await using var insert = new NpgsqlCommand(SqlText.Load("State/insert_unit.sql"), transaction.Connection, transaction);
        insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = step });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = unit });
        insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = rows });
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task InsertStepAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CompletedStep step, CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand(SqlText.Load("State/insert_step.sql"), connection, transaction);
        insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = step.Step });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = step.Name });
        insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = step.Rows });
        insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = step.DurationMs });
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }
}
