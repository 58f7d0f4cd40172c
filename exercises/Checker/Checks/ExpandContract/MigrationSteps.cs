using System.Diagnostics;
using Lab.Checker.Sql;
using Npgsql;

namespace Lab.Checker.Checks.ExpandContract;

/// <summary>One learner file, as the migration runner applied it: when, how many times, how many rows each run changed, its error.</summary>
public sealed record StepRun(string File, TimeSpan Start, TimeSpan End, int Runs, long RowsChanged, string? Error, bool Endless = false)
{
    public TimeSpan Duration => End - Start;
}

/// <summary>
/// The migration runner of exercise 09: applies one of the learner's files, statement by statement, on a connection of
/// its own with the exercise schema as search_path, as a migration tool would. The backfill file is one batch: the
/// runner applies it again and again until a run changes no row (a file that loops and commits by itself, in a DO
/// block or a procedure, reports no row count and runs once).
/// </summary>
public sealed class MigrationSteps(string connectionString, Stopwatch clock)
{
    public const int MaxRuns = 2000;
    public static readonly TimeSpan MaxStep = TimeSpan.FromSeconds(60);
    public const string ApplicationName = "lab09-migration";

    /// <param name="rows">The table's size: a backfill that changed three times as many rows is going round in circles.</param>
    public async Task<StepRun> ApplyAsync(string file, string displayPath, string sql, bool repeatUntilDone, long rows, CancellationToken cancellationToken)
    {
        var statements = SqlScript.Split(sql);
        var start = clock.Elapsed;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var timeout = new NpgsqlCommand($"SET statement_timeout = '{(int)MaxStep.TotalSeconds}s'", connection))
        {
            await timeout.ExecuteNonQueryAsync(cancellationToken);
        }

        var runs = 0;
        var total = 0L;
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            runs++;
            var changed = -1L;
            foreach (var statement in statements)
            {
                try
                {
                    await using var command = new NpgsqlCommand(statement.Text, connection) { CommandTimeout = 0 };
                    var affected = await command.ExecuteNonQueryAsync(cancellationToken);
                    changed = affected >= 0 ? Math.Max(changed, 0) + affected : changed;
                }
                catch (PostgresException ex)
                {
                    var line = ex.Position > 0 ? statement.LineOf(ex.Position) : statement.Line;
                    var message = ex.SqlState == PostgresErrorCodes.QueryCanceled
                        ? $"{displayPath}:{line}: did not finish within {MaxStep.TotalSeconds:0} s"
                        : $"{displayPath}:{line}: ERROR: {ex.MessageText}";
                    return new StepRun(file, start, clock.Elapsed, runs, total, message);
                }
            }

            total += Math.Max(changed, 0);
            if (!repeatUntilDone || changed <= 0)
            {
                return new StepRun(file, start, clock.Elapsed, runs, total, null);
            }

            if (runs >= MaxRuns || stopwatch.Elapsed > MaxStep || total > 3 * rows)
            {
                return new StepRun(file, start, clock.Elapsed, runs, total, null, Endless: true);
            }
        }
    }
}
