using System.Diagnostics;
using Npgsql;
using Sandbox.Testing;

namespace Migrator.IntegrationTests;

/// <summary>The console program as an operator runs it: exit codes and what it prints.</summary>
public sealed class MigratorProgramTests(PostgresFixture postgres, KafkaFixture kafka)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Without_a_connection_string_it_fails_naming_the_variable_and_the_command_that_provides_it()
    {
        var result = await RunMigratorAsync(connectionString: null, "--database", "appdb");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("ConnectionStrings__appdb", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("scripts/infra up", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrates_then_reports_up_to_date_and_status_exits_0()
    {
        await using var scratch = await postgres.CreateScratchDatabaseAsync("program");
        var newest = MigrationFiles.For("appdb")[^1];

        var first = await RunMigratorAsync(scratch.ConnectionString, "--database", "appdb");
        var second = await RunMigratorAsync(scratch.ConnectionString, "--database", "appdb");
        var status = await RunMigratorAsync(scratch.ConnectionString, "--database", "appdb", "--status");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("applied  0001_users", first.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains($"appdb: up to date at {newest}.", second.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("0 pending", status.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_of_a_database_behind_exits_non_zero_and_changes_nothing()
    {
        await using var scratch = await postgres.CreateScratchDatabaseAsync("behind");

        var status = await RunMigratorAsync(scratch.ConnectionString, "--database", "appdb", "--status");

        Assert.Equal(5, status.ExitCode);
        Assert.Contains("pending  0001_users", status.StandardOutput, StringComparison.Ordinal);
        Assert.False(await SchemaMigrationsTable.TableExistsAsync(scratch.DataSource, "schema_migrations"));
    }

    [Fact]
    public async Task A_changed_applied_file_exits_1_naming_it_and_status_exits_5_listing_the_problem()
    {
        await using var scratch = await postgres.CreateScratchDatabaseAsync("changedfile");
        await RunMigratorAsync(scratch.ConnectionString, "--database", "appdb");
        await SchemaMigrationsTable.ExecuteAsync(scratch.DataSource, "UPDATE schema_migrations SET checksum = 'edited' WHERE type = 0 AND version = '0001'");

        var result = await RunMigratorAsync(scratch.ConnectionString, "--database", "appdb");
        var status = await RunMigratorAsync(scratch.ConnectionString, "--database", "appdb", "--status");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("appdb: V0001_users.sql changed after it was applied", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(5, status.ExitCode);
        Assert.Contains("0 pending", status.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("problem  V0001_users.sql changed after it was applied", status.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_migration_exits_1_naming_the_file_and_the_sql_error()
    {
        await using var scratch = await postgres.CreateScratchDatabaseAsync("failingfile");
        // Made by hand before the Migrator ever ran: the first migration's CREATE TABLE fails.
        await SchemaMigrationsTable.ExecuteAsync(scratch.DataSource, "CREATE TABLE users (id int)");

        var result = await RunMigratorAsync(scratch.ConnectionString, "--database", "appdb");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(
            "appdb: V0001_users.sql failed and was rolled back: relation \"users\" already exists (SQLSTATE 42P07",
            result.StandardError,
            StringComparison.Ordinal);
        Assert.Empty(await SchemaMigrationsTable.AppliedAsync(scratch.DataSource));
    }

    [Fact]
    public async Task An_unreachable_server_exits_non_zero_saying_where_it_looked()
    {
        var unreachable = new NpgsqlConnectionStringBuilder(postgres.ConnectionString("appdb")) { Port = 1, Timeout = 2 }.ConnectionString;

        var result = await RunMigratorAsync(unreachable, "--database", "appdb");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("cannot use PostgreSQL at 127.0.0.1:1", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_database_argument_exits_non_zero()
    {
        var result = await RunMigratorAsync(connectionString: null, "--database", "nosuchdb");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nosuchdb", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_full_run_migrates_both_databases_then_checks_the_kafka_topics()
    {
        await using var appDb = await postgres.CreateScratchDatabaseAsync("fullapp");
        await using var auditDb = await postgres.CreateScratchDatabaseAsync("fullaudit");

        var result = await RunMigratorAsync(new Dictionary<string, string>
        {
            ["appdb"] = appDb.ConnectionString,
            ["auditdb"] = auditDb.ConnectionString,
            ["kafka"] = kafka.BootstrapServers,
        });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("applied  0001_users", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("kafka: 2 topics present (0 created now)", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_kafka_exits_non_zero_saying_where_it_looked()
    {
        await using var appDb = await postgres.CreateScratchDatabaseAsync("nokafkaapp");
        await using var auditDb = await postgres.CreateScratchDatabaseAsync("nokafkaaudit");

        var result = await RunMigratorAsync(new Dictionary<string, string>
        {
            ["appdb"] = appDb.ConnectionString,
            ["auditdb"] = auditDb.ConnectionString,
            ["kafka"] = "127.0.0.1:1",
        });

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("kafka: cannot check or create the topics at 127.0.0.1:1", result.StandardError, StringComparison.Ordinal);
    }

    private static Task<ProcessResult> RunMigratorAsync(string? connectionString, params string[] arguments) =>
        RunMigratorAsync(connectionString is null ? [] : new Dictionary<string, string> { ["appdb"] = connectionString }, arguments);

    private static async Task<ProcessResult> RunMigratorAsync(IReadOnlyDictionary<string, string> connectionStrings, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Migrator.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test process may have every sandbox connection string (scripts/test exports them): pass only those under test.
        foreach (var key in start.Environment.Keys.Where(key => key.StartsWith("ConnectionStrings__", StringComparison.Ordinal)
            || key.StartsWith("OTEL_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (name, connectionString) in connectionStrings)
        {
            start.Environment[$"ConnectionStrings__{name}"] = connectionString;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(s_timeout);
        await process.WaitForExitAsync(timeout.Token);
        return new ProcessResult(process.ExitCode, await output, await error);
    }

    private sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
    }
}
