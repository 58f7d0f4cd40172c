using Npgsql;
using Sandbox.Testing;
using Snapshot.Job.Database;

namespace Snapshot.Job.IntegrationTests;

/// <summary>Runs that must stop before they change anything, with a message that says what to do.</summary>
public sealed class RefusalTests(PostgresFixture postgres, SnapshotSource source)
{
    [Fact]
    public async Task A_column_the_rules_do_not_classify_stops_the_job_naming_it_before_anything_is_copied()
    {
        await using var scratch = await postgres.CreateScratchDatabaseAsync("snapnew");
        await SnapshotSource.CreateAppDbAsync(scratch.DataSource, TestContext.Current.CancellationToken);
        await using (var addColumn = scratch.DataSource.CreateCommand("ALTER TABLE users ADD COLUMN phone text"))
        {
            await addColumn.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        await using var workspace = new JobWorkspace(scratch.ConnectionString);

        var result = await workspace.RunAsync();

        Assert.True(result.ExitCode == ExitCodes.RulesMismatch, result.ToString());
        Assert.Contains("public.users.phone is not classified in rules/chirp.json: add it as \"keep\", a mask such as \"replace-text\", or \"null\".", result.Error, StringComparison.Ordinal);
        Assert.Contains("nothing was copied", result.Error, StringComparison.Ordinal);
        Assert.False(await workspace.WorkDatabaseExistsAsync());
        Assert.Empty(workspace.Files());
    }

    [Fact]
    public async Task A_wrong_password_fails_at_once_without_retrying()
    {
        await using var workspace = new JobWorkspace(source.ConnectionString);
        var wrongPassword = new NpgsqlConnectionStringBuilder(source.ConnectionString) { Password = "not-the-password" }.ConnectionString;

        var result = await JobProcess.RunAsync(workspace.Settings(wrongPassword));

        Assert.True(result.ExitCode == ExitCodes.Failed, result.ToString());
        Assert.Contains("password authentication failed", result.Error, StringComparison.Ordinal);
        Assert.Contains("(SQLSTATE 28P01). This is not a transient failure, so it was not retried.", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("transient failure on attempt", result.Output, StringComparison.Ordinal);
        Assert.Empty(workspace.Files());
    }

    [Fact]
    public async Task A_second_run_for_the_same_work_database_is_refused_while_the_first_holds_the_lock()
    {
        await using var workspace = new JobWorkspace(source.ConnectionString);
        await using var first = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(source.ConnectionString) { Database = "postgres" }.ConnectionString);
        await first.OpenAsync(TestContext.Current.CancellationToken);
        await using (var takeLock = new NpgsqlCommand("SELECT pg_advisory_lock($1)", first))
        {
            takeLock.Parameters.Add(new NpgsqlParameter<long> { TypedValue = RunLock.KeyFor(workspace.WorkDatabase) });
            await takeLock.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var result = await workspace.RunAsync();

        Assert.True(result.ExitCode == ExitCodes.AlreadyRunning, result.ToString());
        Assert.Contains($"Another snapshot run is working in {workspace.WorkDatabase}", result.Error, StringComparison.Ordinal);
        Assert.False(await workspace.WorkDatabaseExistsAsync());
    }

    [Fact]
    public async Task A_database_the_job_did_not_make_is_never_dropped_even_when_named_as_its_work_database()
    {
        await using var someoneElses = await postgres.CreateScratchDatabaseAsync("snapother");
        await using (var create = someoneElses.DataSource.CreateCommand("CREATE TABLE precious (id int); INSERT INTO precious VALUES (1)"))
        {
            await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        await using var workspace = new JobWorkspace(source.ConnectionString);

        var result = await JobProcess.RunAsync(workspace.Settings(extra: ("Snapshot__WorkDatabase", someoneElses.Name)));

        Assert.True(result.ExitCode == ExitCodes.InvalidConfiguration, result.ToString());
        Assert.Contains($"A database named {someoneElses.Name} exists, and the snapshot job did not make it, so it will not touch it", result.Error, StringComparison.Ordinal);
        Assert.Equal(1, await Snapshots.CountAsync(someoneElses.DataSource, "SELECT count(*) FROM precious"));
    }
}
