using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Migrator;

/// <summary>
/// Applies a database's pending migrations in version order. The whole run holds a session-level advisory lock
/// (one key per database name), so a second Migrator waits and then finds nothing left to do; each file runs in
/// its own transaction together with its <c>schema_migrations</c> row, so a failure leaves no half-applied file.
/// </summary>
public sealed partial class MigrationRunner
{
    public const string ActivitySourceName = "Migrator";
    private static readonly ActivitySource s_activitySource = new(ActivitySourceName);
    private readonly ILogger<MigrationRunner> _logger;

    public MigrationRunner(ILogger<MigrationRunner> logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
    }

    /// <summary>Applies the embedded migrations of <paramref name="database"/> (see <see cref="MigrationCatalog.For"/>).</summary>
    /// <exception cref="ArgumentException">Unknown database.</exception>
    /// <exception cref="MigrationException">An applied file changed, the catalog is inconsistent, or a migration failed.</exception>
    public Task<MigrationReport> MigrateAsync(NpgsqlDataSource dataSource, string database, CancellationToken cancellationToken) =>
        MigrateAsync(dataSource, database, MigrationCatalog.For(database), cancellationToken);

    /// <summary>Applies <paramref name="migrations"/> as the catalog of <paramref name="database"/> (tests use their own).</summary>
    public async Task<MigrationReport> MigrateAsync(
        NpgsqlDataSource dataSource,
        string database,
        IReadOnlyList<Migration> migrations,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        var catalog = MigrationCatalog.Ordered(database, migrations);

        using var activity = s_activitySource.StartActivity($"migrate {database}");
        activity?.SetTag("db.system.name", "postgresql");
        activity?.SetTag("migrator.database", database);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            activity?.SetTag("db.namespace", connection.Database);
            var lockKey = LockKey(database);
            await AcquireLockAsync(connection, database, lockKey, cancellationToken);
            try
            {
                return await MigrateLockedAsync(connection, database, catalog, cancellationToken);
            }
            finally
            {
                await ReleaseLockAsync(connection, database, lockKey);
            }
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }
    }

    /// <summary>Reads where <paramref name="database"/> stands without changing anything.</summary>
    public async Task<MigrationStatus> GetStatusAsync(NpgsqlDataSource dataSource, string database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var catalog = MigrationCatalog.For(database);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var exists = new NpgsqlCommand(SqlScripts.SchemaMigrationsExists, connection);
        var applied = (bool)(await exists.ExecuteScalarAsync(cancellationToken))!
            ? await ReadAppliedAsync(connection, cancellationToken)
            : [];
        var plan = MigrationPlan.Create(database, catalog, applied);
        LogStatus(database, applied.Count, plan.Pending.Count);
        return new MigrationStatus(database, applied, plan.Pending, plan.Problems);
    }

    private async Task<MigrationReport> MigrateLockedAsync(
        NpgsqlConnection connection,
        string database,
        IReadOnlyList<Migration> catalog,
        CancellationToken cancellationToken)
    {
        await using (var create = new NpgsqlCommand(SqlScripts.CreateSchemaMigrations, connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var plan = MigrationPlan.Create(database, catalog, await ReadAppliedAsync(connection, cancellationToken));
        if (plan.Problems.Count > 0)
        {
            throw new MigrationException(string.Join(Environment.NewLine, plan.Problems));
        }

        foreach (var row in plan.UnknownToCatalog)
        {
            LogDatabaseAhead(database, row.Name);
        }

        var appliedNow = new List<string>();
        foreach (var migration in plan.Pending)
        {
            await ApplyAsync(connection, database, migration, cancellationToken);
            appliedNow.Add(migration.Name);
        }

        if (appliedNow.Count == 0)
        {
            LogUpToDate(database, plan.AlreadyApplied.Count);
        }

        return new MigrationReport(database, appliedNow, plan.AlreadyApplied.Select(migration => migration.Name).ToList());
    }

    private async Task ApplyAsync(NpgsqlConnection connection, string database, Migration migration, CancellationToken cancellationToken)
    {
        using var activity = s_activitySource.StartActivity($"migrate {database} {migration.Name}");
        activity?.SetTag("db.system.name", "postgresql");
        activity?.SetTag("db.namespace", connection.Database);
        activity?.SetTag("migrator.database", database);
        activity?.SetTag("migrator.migration.version", migration.Version);
        activity?.SetTag("migrator.migration.name", migration.Name);

        var started = Stopwatch.GetTimestamp();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            // No timeout: a migration may legitimately rewrite a large table; cancellation still stops it.
            await using (var command = new NpgsqlCommand(migration.Sql, connection, transaction) { CommandTimeout = 0 })
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            var elapsedMs = (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            await using (var record = new NpgsqlCommand(SqlScripts.InsertApplied, connection, transaction))
            {
                record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = migration.Version });
                record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = migration.Name });
                record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = migration.Checksum });
                record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = elapsedMs });
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            activity?.SetTag("migrator.migration.execution_ms", elapsedMs);
            LogApplied(database, migration.Name, elapsedMs);
        }
        catch (PostgresException ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.MessageText);
            throw new MigrationException(
                $"{database}: {migration.Name}.sql failed and was rolled back: {ex.MessageText} (SQLSTATE {ex.SqlState}).", ex);
        }
    }

    private async Task AcquireLockAsync(NpgsqlConnection connection, string database, long lockKey, CancellationToken cancellationToken)
    {
        await using (var tryLock = new NpgsqlCommand(SqlScripts.TryLock, connection))
        {
            tryLock.Parameters.Add(new NpgsqlParameter<long> { TypedValue = lockKey });
            if ((bool)(await tryLock.ExecuteScalarAsync(cancellationToken))!)
            {
                return;
            }
        }

        LogWaitingForLock(database);
        var started = Stopwatch.GetTimestamp();
        // No timeout: the other Migrator may be running a long migration; cancellation still stops the wait.
        await using var waitForLock = new NpgsqlCommand(SqlScripts.Lock, connection) { CommandTimeout = 0 };
        waitForLock.Parameters.Add(new NpgsqlParameter<long> { TypedValue = lockKey });
        await waitForLock.ExecuteNonQueryAsync(cancellationToken);
        var waitedMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        LogLockAcquired(database, waitedMs);
    }

    private async Task ReleaseLockAsync(NpgsqlConnection connection, string database, long lockKey)
    {
        try
        {
            await using var unlock = new NpgsqlCommand(SqlScripts.Unlock, connection);
            unlock.Parameters.Add(new NpgsqlParameter<long> { TypedValue = lockKey });
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // The session is gone, and PostgreSQL released its advisory locks with it.
            LogUnlockFailed(ex, database);
        }
    }

    private static async Task<IReadOnlyList<AppliedMigration>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(SqlScripts.SelectApplied, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var applied = new List<AppliedMigration>();
        while (await reader.ReadAsync(cancellationToken))
        {
            applied.Add(new AppliedMigration(
                reader.GetInt32(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetInt32(4)));
        }

        return applied;
    }

    /// <summary>A fixed advisory-lock key per database name: the first 8 bytes of SHA-256("Migrator:" + name).</summary>
    internal static long LockKey(string database) =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes($"Migrator:{database}")));

    [LoggerMessage(Level = LogLevel.Information, Message = "{Database}: applied {Migration} in {ElapsedMs} ms")]
    private partial void LogApplied(string database, string migration, int elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Database}: up to date ({Count} migrations applied before)")]
    private partial void LogUpToDate(string database, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Database}: {Applied} migrations applied, {Pending} pending")]
    private partial void LogStatus(string database, int applied, int pending);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Database}: another Migrator holds the migration lock; waiting for it")]
    private partial void LogWaitingForLock(string database);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Database}: migration lock acquired after {WaitedMs} ms")]
    private partial void LogLockAcquired(string database, long waitedMs);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Database}: {Migration} is applied but unknown to this Migrator (the database is ahead of this code; fine while the change is expand-only)")]
    private partial void LogDatabaseAhead(string database, string migration);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Database}: could not release the migration lock")]
    private partial void LogUnlockFailed(Exception exception, string database);
}
