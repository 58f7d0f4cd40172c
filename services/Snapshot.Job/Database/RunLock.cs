using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Snapshot.Job.Database;

/// <summary>
/// One run at a time per work database (a nightly run and a click on the dashboard must not drop each other's work):
/// an advisory lock held by a session on the maintenance database. If that session is lost (the server restarted, a
/// connection was cut), the lock went with it; <see cref="EnsureHeldAsync"/> takes it again before each step.
/// </summary>
internal sealed class RunLock : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly string _workDatabase;
    private readonly long _key;
    private NpgsqlConnection? _connection;

    private RunLock(string maintenanceConnectionString, string workDatabase)
    {
        _connectionString = maintenanceConnectionString;
        _workDatabase = workDatabase;
        _key = KeyFor(workDatabase);
    }

    /// <summary>The advisory lock's key: the first 8 bytes of SHA-256("snapshot-job:" + work database).</summary>
    internal static long KeyFor(string workDatabase) =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes($"snapshot-job:{workDatabase}")));

    /// <exception cref="RunInProgressException">Another run holds the lock.</exception>
    public static async Task<RunLock> AcquireAsync(string maintenanceConnectionString, string workDatabase, CancellationToken cancellationToken)
    {
        var runLock = new RunLock(maintenanceConnectionString, workDatabase);
        try
        {
            await runLock.TakeAsync(cancellationToken);
            return runLock;
        }
        catch
        {
            await runLock.DisposeAsync();
            throw;
        }
    }

    /// <summary>Checks that the session holding the lock is alive; if it is gone, takes the lock again.</summary>
    public async Task EnsureHeldAsync(CancellationToken cancellationToken)
    {
        if (_connection is not null)
        {
            try
            {
                await using var ping = new NpgsqlCommand(SqlText.Load("Database/ping.sql"), _connection);
                await ping.ExecuteScalarAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException)
            {
                // The session ended, and the server released its lock: take it again below.
            }
        }

        await TakeAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is null)
        {
            return;
        }

        try
        {
            await using var unlock = new NpgsqlCommand(SqlText.Load("Database/unlock.sql"), _connection);
            unlock.Parameters.Add(new NpgsqlParameter<long> { TypedValue = _key });
            await unlock.ExecuteScalarAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // The session is gone, and its lock with it.
        }

        await _connection.DisposeAsync();
        _connection = null;
    }

    private async Task TakeAsync(CancellationToken cancellationToken)
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }

        // Not pooled: the lock belongs to this one session, which must really close when the run ends.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var tryLock = new NpgsqlCommand(SqlText.Load("Database/try_lock.sql"), connection);
            tryLock.Parameters.Add(new NpgsqlParameter<long> { TypedValue = _key });
            if (!(bool)(await tryLock.ExecuteScalarAsync(cancellationToken))!)
            {
                throw new RunInProgressException(
                    $"Another snapshot run is working in {_workDatabase} (it holds the run's lock): wait for it to finish, then run again.");
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        _connection = connection;
    }
}
