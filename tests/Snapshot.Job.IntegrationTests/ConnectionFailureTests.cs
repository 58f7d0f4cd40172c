using Npgsql;

namespace Snapshot.Job.IntegrationTests;

/// <summary>
/// Real connection failures in the middle of a run: the run retries them with backoff and writes the same snapshot
/// as an uninterrupted run.
/// </summary>
public sealed class ConnectionFailureTests(SnapshotSource source)
{
    private const string RetryLine = "transient failure on attempt";

    [Fact]
    public async Task Refused_and_then_cut_connections_are_retried_and_the_run_completes_with_the_same_snapshot()
    {
        var (reference, _) = await source.ReferenceAsync();
        await using var workspace = new JobWorkspace(source.ConnectionString);
        var target = new NpgsqlConnectionStringBuilder(source.ConnectionString);
        await using var proxy = new ChaosProxy(target.Host!, target.Port);
        var throughProxy = new NpgsqlConnectionStringBuilder(source.ConnectionString) { Port = proxy.Port }.ConnectionString;

        // The server is "down" when the run starts; it comes back once the job has retried, and then every open
        // connection is reset mid-copy.
        var result = await JobProcess.RunAsync(
            workspace.Settings(throughProxy, ("Snapshot__Testing__RunKey", SnapshotSource.RunKey)),
            line =>
            {
                if (line.Contains(RetryLine, StringComparison.Ordinal))
                {
                    proxy.Open();
                }

                if (line.Contains("Starting run", StringComparison.Ordinal))
                {
                    proxy.CutOnceAfter(64 * 1024);
                }
            });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(1, proxy.Cuts);
        var retries = result.Output.Split('\n').Where(line => line.Contains(RetryLine, StringComparison.Ordinal)).ToList();
        Assert.True(retries.Count >= 2, $"Expected a retry for the refused and one for the cut connections:{Environment.NewLine}{result}");
        Assert.Contains("read the source's schema: transient failure on attempt 1", retries[0], StringComparison.Ordinal);
        Assert.Equal(Snapshots.Content(reference), Snapshots.Content(workspace.Manifest()));
        Assert.False(await workspace.WorkDatabaseExistsAsync());
    }

    [Fact]
    public async Task A_session_terminated_while_it_masks_a_table_is_retried_and_the_run_completes_with_the_same_snapshot()
    {
        var (reference, _) = await source.ReferenceAsync();
        await using var workspace = new JobWorkspace(source.ConnectionString);
        var copied = await workspace.RunAsync(("Snapshot__Testing__CrashAt", "after-step-1"), ("Snapshot__Testing__RunKey", SnapshotSource.RunKey));
        Assert.True(copied.ExitCode == JobResult.Killed, copied.ToString());

        // Hold users locked, so the resumed run's step 2 waits on it; end that session as an administrator would.
        await using var blocker = new NpgsqlConnection(workspace.WorkConnectionString);
        await blocker.OpenAsync(TestContext.Current.CancellationToken);
        var transaction = await blocker.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await using (var lockUsers = new NpgsqlCommand("LOCK TABLE public.users IN ACCESS EXCLUSIVE MODE", blocker, transaction))
        {
            await lockUsers.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var run = workspace.RunAsync();
        // Another session: inside the blocker's transaction pg_stat_activity would show one frozen snapshot.
        await using var admin = new NpgsqlConnection(workspace.WorkConnectionString);
        await admin.OpenAsync(TestContext.Current.CancellationToken);
        var terminated = await TerminateWaitingJobSessionAsync(admin, workspace.WorkDatabase);
        await transaction.RollbackAsync(TestContext.Current.CancellationToken);
        var result = await run;

        Assert.True(terminated, $"The job never waited on the lock.{Environment.NewLine}{result}");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("anonymize public.users: transient failure on attempt 1 (57P01", result.Output, StringComparison.Ordinal);
        Assert.Equal(Snapshots.Content(reference), Snapshots.Content(workspace.Manifest()));
    }

    private static async Task<bool> TerminateWaitingJobSessionAsync(NpgsqlConnection connection, string database)
    {
        const string sql = """
            SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
            WHERE datname = $1 AND application_name = 'snapshot-job' AND wait_event_type = 'Lock'
            """;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            await using var terminate = new NpgsqlCommand(sql, connection);
            terminate.Parameters.Add(new NpgsqlParameter<string> { TypedValue = database });
            if ((long)(await terminate.ExecuteScalarAsync(TestContext.Current.CancellationToken))! > 0)
            {
                return true;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        return false;
    }
}
