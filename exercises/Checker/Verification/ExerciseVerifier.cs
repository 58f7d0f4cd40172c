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
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            // No stack trace for the learner, whatever their file did: say what it left behind, and that this is ours to fix.
            return new Verdict(Outcome.NotRun, await UnexpectedAsync(report, exercise, infrastructure, ex));
        }
    }

    /// <summary>
    /// The verdict for a failure the check did not foresee: what the learner's file left in the exercise's schemas (the
    /// evidence a fix needs), and a line to report. Exit code 2: the check could not judge the file, rightly or wrongly.
    /// </summary>
    private static async Task<Report> UnexpectedAsync(Report report, Exercise exercise, LabInfrastructure infrastructure, Exception ex)
    {
        var inner = ex is AggregateException { InnerExceptions: [var only] } ? only : ex;
        report.Failure("The checker could not judge your file: it met something it did not expect.")
            .Line($"  ({inner.GetType().Name}: {FirstLine(inner.Message)})");
        if (exercise.Needs.Contains("postgres"))
        {
            try
            {
                await using var connection = await infrastructure.LabDb.OpenConnectionAsync(CancellationToken.None);
                var left = await Sql.SchemaInventory.DescribeAsync(connection, $"^lab{exercise.Id}(_hidden)?$", 12, CancellationToken.None);
                report.Line(left.Count == 0
                    ? $"  After your file, the exercise's schemas (lab{exercise.Id}, lab{exercise.Id}_hidden) hold nothing."
                    : $"  What your file left in the exercise's schemas:");
                report.Evidence(left, 4);
            }
            catch (Exception inventoryError) when (inventoryError is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                report.Line("  (The checker could not read what your file left behind either.)");
            }
        }

        var frame = inner.StackTrace?.Split('\n').Select(line => line.Trim()).FirstOrDefault(line => line.Contains("Lab.Checker", StringComparison.Ordinal)) ?? "no frame";
        return report.Blank()
            .Line("  This is a gap in the checker, not necessarily a mistake of yours. Your file is unchanged; fix what looks")
            .Line($"  wrong, or {LabCommand.Of($"reset {exercise.Number}")} to start over. Please report it with this line:")
            .Muted($"  lab bug: exercise {exercise.Id}, {inner.GetType().FullName}: {FirstLine(inner.Message)} {frame}");
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

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
