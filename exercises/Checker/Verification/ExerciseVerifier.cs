using Lab.Checker.Infrastructure;
using Lab.Checker.Manifest;
using Npgsql;

namespace Lab.Checker.Verification;

/// <summary>
/// Verifies one exercise against the files of an explicit folder: the learner's, or in CI the starter, the reference
/// solution or a wrong answer. The CLI is a thin shell over this.
/// </summary>
public static class ExerciseVerifier
{
    private const int LockNamespace = 7270;

    public static async Task<Verdict> VerifyAsync(
        Exercise exercise,
        string directory,
        LabInfrastructure infrastructure,
        Action<string>? status,
        CancellationToken cancellationToken)
    {
        var report = new Report()
            .Heading($"{exercise.Id} · {exercise.Title}")
            .Muted($"checking {string.Join(", ", exercise.Files.Select(exercise.DisplayPath))}")
            .Blank();

        var problem = await infrastructure.ProbeAsync(exercise.Needs, cancellationToken);
        if (problem is not null)
        {
            return new Verdict(Outcome.NotRun, InfrastructureDown(report, problem));
        }

        var check = CheckRegistry.Get(exercise.Check);
        var context = new CheckContext(exercise, directory, infrastructure, status);
        try
        {
            await using var exerciseLock = exercise.Needs.Contains("postgres")
                ? await AcquireLockAsync(infrastructure, exercise, context.Status, cancellationToken)
                : null;
            var result = await check.VerifyAsync(context, cancellationToken);
            report.Append(result.Report).Blank();
            if (!result.Passed)
            {
                report.Muted($"Stuck? {LabCommand.Of($"hint {exercise.Number}")} shows a hint ({exercise.Hints.Count} in all).");
            }

            return new Verdict(result.Passed ? Outcome.Passed : Outcome.Failed, report);
        }
        catch (LearnerFileMissingException ex)
        {
            report.Failure($"{ex.DisplayPath} is missing.")
                .Line($"  {LabCommand.Of($"reset {exercise.Number}")} puts the starter file back.");
            return new Verdict(Outcome.Failed, report);
        }
        catch (Exception ex) when (ex is NpgsqlException { IsTransient: true } or TimeoutException or Confluent.Kafka.KafkaException or System.Net.Sockets.SocketException)
        {
            return new Verdict(Outcome.NotRun, InfrastructureDown(report, $"a server stopped answering during the check: {ex.Message}"));
        }
    }

    /// <summary>
    /// Puts the exercise's infrastructure state back to its start (the files are the CLI's business). Returns what
    /// was done, or the infrastructure problem that prevented it.
    /// </summary>
    public static async Task<(bool Done, string Message)> ResetAsync(
        Exercise exercise,
        string directory,
        LabInfrastructure infrastructure,
        Action<string>? status,
        CancellationToken cancellationToken)
    {
        var problem = await infrastructure.ProbeAsync(exercise.Needs, cancellationToken);
        if (problem is not null)
        {
            return (false, problem);
        }

        var context = new CheckContext(exercise, directory, infrastructure, status);
        await using var exerciseLock = exercise.Needs.Contains("postgres")
            ? await AcquireLockAsync(infrastructure, exercise, context.Status, cancellationToken)
            : null;
        return (true, await CheckRegistry.Get(exercise.Check).ResetAsync(context, cancellationToken));
    }

    public static Report InfrastructureDown(Report report, string problem) =>
        report.Failure($"The infrastructure is not answering: {problem}.")
            .Line($"  Start it with `{LabConnections.StartCommand}` from the repository root (or run the AppHost: dotnet run --project AppHost),")
            .Line("  then run this command again.");

    /// <summary>One verify of an exercise at a time (two terminals, or a test run beside the learner): an advisory lock.</summary>
    private static async Task<ExerciseLock> AcquireLockAsync(
        LabInfrastructure infrastructure, Exercise exercise, Action<string> status, CancellationToken cancellationToken)
    {
        var connection = await infrastructure.LabDb.OpenConnectionAsync(cancellationToken);
        await using var tryLock = new NpgsqlCommand("SELECT pg_try_advisory_lock(@space, @number)", connection);
        tryLock.Parameters.AddWithValue("space", LockNamespace);
        tryLock.Parameters.AddWithValue("number", exercise.Number);
        if (await tryLock.ExecuteScalarAsync(cancellationToken) is not true)
        {
            status($"Another check of exercise {exercise.Id} is running; waiting for it to finish...");
            await using var waitLock = new NpgsqlCommand("SELECT pg_advisory_lock(@space, @number)", connection);
            waitLock.Parameters.AddWithValue("space", LockNamespace);
            waitLock.Parameters.AddWithValue("number", exercise.Number);
            await waitLock.ExecuteNonQueryAsync(cancellationToken);
        }

        return new ExerciseLock(connection, exercise.Number);
    }

    private sealed class ExerciseLock(NpgsqlConnection connection, int number) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@space, @number)", connection);
                unlock.Parameters.AddWithValue("space", LockNamespace);
                unlock.Parameters.AddWithValue("number", number);
                await unlock.ExecuteNonQueryAsync();
            }
            catch (NpgsqlException)
            {
                // The session is gone, and its lock with it.
            }

            await connection.DisposeAsync();
        }
    }
}
