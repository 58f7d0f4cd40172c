using Npgsql;

namespace Lab.Checker.Processes;

/// <summary>The labdb sessions of a checker child process, found by the application_name it connects with.</summary>
public static class ChildProcessSessions
{
    /// <summary>Whether one of them hangs in pg_sleep: the learner's code reached a crash point the checker set.</summary>
    public static async Task<bool> SleepingAsync(NpgsqlConnection connection, string applicationName, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = @name AND wait_event = 'PgSleep')", connection);
        command.Parameters.AddWithValue("name", applicationName);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>Ends what a killed child left on the server and waits (5 s at most) for it to go: an open transaction rolls back.</summary>
    public static async Task EndAsync(NpgsqlConnection connection, string applicationName, CancellationToken cancellationToken)
    {
        await using (var terminate = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @name AND pid <> pg_backend_pid()", connection))
        {
            terminate.Parameters.AddWithValue("name", applicationName);
            await terminate.ExecuteScalarAsync(cancellationToken);
        }

        for (var attempt = 0; attempt < 50; attempt++)
        {
            await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE application_name = @name", connection);
            count.Parameters.AddWithValue("name", applicationName);
            if ((long)(await count.ExecuteScalarAsync(cancellationToken))! == 0)
            {
                return;
            }

            await Task.Delay(100, cancellationToken);
        }
    }
}
