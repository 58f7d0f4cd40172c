using Npgsql;
using Snapshot.Job.Database;

namespace Snapshot.Job.UnitTests;

/// <summary>What the program prints and returns for each kind of failure.</summary>
public sealed class ExitCodeTests
{
    [Fact]
    public void A_wrong_password_fails_at_once_saying_it_was_not_retried()
    {
        var (exitCode, message) = SnapshotCommand.Explain(new PostgresException("password authentication failed for user \"postgres\"", "FATAL", "FATAL", "28P01"), stopping: false);

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Contains("password authentication failed for user \"postgres\" (SQLSTATE 28P01)", message, StringComparison.Ordinal);
        Assert.Contains("not a transient failure, so it was not retried", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Transient_failures_that_outlast_the_retries_say_the_next_run_resumes()
    {
        var (exitCode, message) = SnapshotCommand.Explain(new PgToolException("pg_dump", 1, "server closed the connection unexpectedly"), stopping: false);

        Assert.Equal(ExitCodes.Unavailable, exitCode);
        Assert.Contains("run the job again to resume", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rule_mismatches_list_every_problem()
    {
        var (exitCode, message) = SnapshotCommand.Explain(new RulesMismatchException(["a is not classified", "b is not classified"]), stopping: false);

        Assert.Equal(ExitCodes.RulesMismatch, exitCode);
        Assert.Contains("nothing was copied", message, StringComparison.Ordinal);
        Assert.Contains("  a is not classified", message, StringComparison.Ordinal);
        Assert.Contains("  b is not classified", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Configuration_errors_and_cancellation_have_their_own_codes()
    {
        Assert.Equal(ExitCodes.InvalidConfiguration, SnapshotCommand.Explain(new SnapshotConfigurationException("x"), stopping: false).ExitCode);
        Assert.Equal(ExitCodes.AlreadyRunning, SnapshotCommand.Explain(new RunInProgressException("x"), stopping: false).ExitCode);
        Assert.Equal(ExitCodes.Cancelled, SnapshotCommand.Explain(new OperationCanceledException(), stopping: true).ExitCode);
    }

    [Fact]
    public void A_file_that_cannot_be_written_is_named_without_a_stack_trace()
    {
        var (exitCode, message) = SnapshotCommand.Explain(new UnauthorizedAccessException("Access to the path '/snapshots' is denied."), stopping: false);

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Equal("Snapshot failed: Access to the path '/snapshots' is denied.", message);
    }
}
