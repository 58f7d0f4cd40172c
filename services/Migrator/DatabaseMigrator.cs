using System.Diagnostics;
using EvolveDb;
using EvolveDb.Metadata;
using EvolveDb.Migration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SandboxShared;

namespace Migrator;

/// <summary>
/// Migrates a database with Evolve, or reports where it stands: what the Migrator program runs, and what tests and
/// other projects run on scratch databases so that they get exactly the schema production gets:
/// <c>await DatabaseMigrator.MigrateAsync(dataSource, "appdb");</c>
/// </summary>
public static partial class DatabaseMigrator
{
    public const string ActivitySourceName = "Migrator";

    // The category of Info()'s rows for a file not applied yet (and for a schema Evolve would mark or create).
    private const string InfoPending = "Pending";
    private static readonly ActivitySource s_activitySource = new(ActivitySourceName);

    /// <summary>The databases the Migrator knows, in the order it migrates them.</summary>
    public static IReadOnlyList<string> Databases { get; } = ["appdb", "auditdb"];

    /// <summary>Applies the pending migrations of <paramref name="database"/>, each file in its own transaction.</summary>
    /// <exception cref="ArgumentException">Unknown database.</exception>
    /// <exception cref="MigrationException">A file is misnamed or changed after it was applied, or a migration failed (rolled back).</exception>
    /// <exception cref="NpgsqlException">The server is unreachable or refused the connection.</exception>
    public static async Task<MigrationReport> MigrateAsync(
        NpgsqlDataSource dataSource,
        string database,
        MigrationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        CheckKnown(database);
        options ??= new MigrationOptions();
        var logger = options.Logger ?? NullLogger.Instance;

        using var activity = s_activitySource.StartActivity($"migrate {database}");
        activity?.SetTag("db.system.name", "postgresql");
        activity?.SetTag("migrator.database", database);
        try
        {
            CheckFiles(database, options);
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            activity?.SetTag("db.namespace", connection.Database);
            await RefuseLegacyTableAsync(connection, database, cancellationToken);

            var evolve = EvolveSetup.Create(connection, database, options, EvolveLog(logger, database, quiet: false));
            // Evolve is synchronous and cannot be cancelled once it runs: stopping the process ends the session, and
            // PostgreSQL rolls back the file that was running.
            await Task.Run(() => Run(database, evolve, evolve.Migrate), cancellationToken);
            var applied = evolve.AppliedMigrations.Select(MigrationFiles.NameOf).ToList();
            activity?.SetTag("migrator.migrations.applied.count", applied.Count);
            activity?.SetTag("migrator.migrations.applied", applied.ToArray());

            var standing = await Task.Run(() => Read(connection, database, options with { UpTo = null }, logger), cancellationToken);
            var alreadyApplied = standing.Applied.Select(migration => migration.Name).Except(applied, StringComparer.Ordinal).ToList();
            activity?.SetTag("migrator.migrations.current", standing.Applied.Count == 0 ? null : standing.Applied[^1].Name);
            return new MigrationReport(database, applied, alreadyApplied);
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            activity?.AddException(ex);
            throw;
        }
    }

    /// <summary>Reads where <paramref name="database"/> stands without changing anything (Evolve's <c>Info()</c>).</summary>
    /// <exception cref="MigrationException">A file is misnamed, or the database's bookkeeping cannot be read.</exception>
    /// <exception cref="NpgsqlException">The server is unreachable or refused the connection.</exception>
    public static async Task<MigrationStatus> GetStatusAsync(
        NpgsqlDataSource dataSource,
        string database,
        MigrationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        CheckKnown(database);
        options ??= new MigrationOptions();
        CheckFiles(database, options);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await RefuseLegacyTableAsync(connection, database, cancellationToken);
        return await Task.Run(() => Read(connection, database, options with { UpTo = null }, options.Logger ?? NullLogger.Instance), cancellationToken);
    }

    internal static void CheckKnown(string database)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (!Databases.Contains(database, StringComparer.Ordinal))
        {
            throw new ArgumentException($"Unknown database '{database}'; the Migrator knows {string.Join(", ", Databases)}.", nameof(database));
        }
    }

    private static void CheckFiles(string database, MigrationOptions options) =>
        _ = options.Directory is { } directory ? MigrationFiles.InDirectory(database, directory) : MigrationFiles.For(database);

    /// <summary>Evolve's <c>Info()</c>, with the problems a run would stop at: a changed file, a pending file older than an applied one.</summary>
    private static MigrationStatus Read(NpgsqlConnection connection, string database, MigrationOptions options, ILogger logger)
    {
        // Info() prints a whole table through the log: kept for Debug.
        var evolve = EvolveSetup.Create(connection, database, options, EvolveLog(logger, database, quiet: true));
        // Only so that Info() lists a pending file older than the newest applied one, which a run refuses.
        evolve.OutOfOrder = true;
        var rows = Run(database, evolve, () => evolve.Info().ToList());
        var scripts = Run(database, evolve, () => evolve.MigrationLoader.GetMigrations().ToDictionary(script => script.Version!.Label, StringComparer.Ordinal));

        var applied = new List<AppliedMigration>();
        var problems = new List<string>();
        var newestApplied = MigrationVersion.MinVersion;
        foreach (var row in rows.Where(row => row.Category == nameof(MetadataType.Migration) && row.Success == true && row.Version is not null))
        {
            var version = new MigrationVersion(row.Version!);
            newestApplied = version > newestApplied ? version : newestApplied;
            if (!scripts.TryGetValue(row.Version!, out var script))
            {
                // The database is ahead of this code: fine while the newer release's changes are expand-only.
                applied.Add(new AppliedMigration($"{row.Version} ({row.Description}: not a file of this Migrator)", row.InstalledOn, row.Description));
                continue;
            }

            applied.Add(new AppliedMigration(MigrationFiles.NameOf(script.Name), row.InstalledOn, row.Description));
            if (!string.Equals(row.Checksum, script.CalculateChecksum(), StringComparison.Ordinal))
            {
                problems.Add($"{script.Name} changed after it was applied: revert the edit and add a new migration instead.");
            }
        }

        var pending = rows
            .Where(row => row.Category == InfoPending && row.Version is not null && scripts.ContainsKey(row.Version))
            .Select(row => scripts[row.Version!])
            .OrderBy(script => script.Version)
            .ToList();
        foreach (var script in pending.Where(script => script.Version! < newestApplied))
        {
            problems.Add($"{script.Name} is pending, but the newer version {newestApplied} is already applied: renumber it after the newest applied migration.");
        }

        return new MigrationStatus(database, applied, pending.Select(script => MigrationFiles.NameOf(script.Name)).ToList(), problems);
    }

    private static void Run(string database, Evolve evolve, Action action) => Run(database, evolve, () =>
    {
        action();
        return true;
    });

    private static T Run<T>(string database, Evolve evolve, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (EvolveException ex)
        {
            throw MigrationErrors.Explain(database, ex, () => evolve.MigrationLoader.GetMigrations());
        }
    }

    private static async Task RefuseLegacyTableAsync(NpgsqlConnection connection, string database, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(EmbeddedSql.Load(typeof(DatabaseMigrator).Assembly, "Sql/select_legacy_schema_migrations.sql"), connection);
        if ((bool)(await command.ExecuteScalarAsync(cancellationToken))!)
        {
            throw new MigrationException(
                $"{database}: its public.schema_migrations was written by the Migrator before it used Evolve, whose table of the same " +
                $"name has other columns. Recreate the database (DROP DATABASE {connection.Database}; CREATE DATABASE {connection.Database}; " +
                "or in native mode `scripts/infra down --purge` then `scripts/infra up`; with containers, remove the volume " +
                "backend-sandbox-postgres), then run the Migrator.");
        }
    }

    private static Action<string> EvolveLog(ILogger logger, string database, bool quiet) => message =>
    {
        var level = quiet ? LogLevel.Debug : LevelOf(message);
        if (logger.IsEnabled(level))
        {
            LogEvolve(logger, level, database, message);
        }
    };

    // Evolve says a lot; a person reading the console wants the files applied, the totals and any wait for the lock.
    private static LogLevel LevelOf(string message) =>
        message.StartsWith("Successfully applied migration", StringComparison.Ordinal)
        || message.StartsWith("Database migrated", StringComparison.Ordinal)
        || message.StartsWith("Database is up to date", StringComparison.Ordinal)
        || message.StartsWith("Cannot acquire", StringComparison.Ordinal)
            ? LogLevel.Information
            : message.StartsWith("Error", StringComparison.Ordinal) ? LogLevel.Warning : LogLevel.Debug;

    [LoggerMessage(Message = "{Database}: {EvolveMessage}")]
    private static partial void LogEvolve(ILogger logger, LogLevel level, string database, string evolveMessage);
}
