using EvolveDb;
using EvolveDb.Configuration;
using EvolveDb.Dialect;
using EvolveDb.Migration;
using Npgsql;

namespace Migrator;

/// <summary>Evolve as the Migrator uses it: one place for every option, each with the reason it is set.</summary>
internal static class EvolveSetup
{
    public const string MetadataTableSchema = "public";
    public const string MetadataTableName = "schema_migrations";

    /// <param name="connection">Open, and kept open: Evolve's advisory lock belongs to this session.</param>
    public static Evolve Create(NpgsqlConnection connection, string database, MigrationOptions options, Action<string> log)
    {
        // Naming the DBMS spares the probe queries Evolve would otherwise try (MySQL's first), which PostgreSQL logs as errors.
        var evolve = new Evolve(connection, log, DBMS.PostgreSQL)
        {
            Schemas = [MetadataTableSchema],
            MetadataTableSchema = MetadataTableSchema,
            MetadataTableName = MetadataTableName,
            SqlMigrationPrefix = MigrationFiles.Prefix,
            SqlMigrationSeparator = MigrationFiles.Separator,
            SqlMigrationSuffix = MigrationFiles.Suffix,
            // One transaction per file, holding the file's statements and its row in schema_migrations: a failed file
            // leaves nothing behind. A file whose first line says "evolve-tx-off" runs without one (CREATE INDEX CONCURRENTLY).
            TransactionMode = TransactionKind.CommitEach,
            // pg_try_advisory_lock, held by this session for the whole run: a second Migrator waits (polling every 3 s)
            // and then finds nothing left to do.
            EnableClusterMode = true,
            // A pending file older than an applied one is an error (it was probably merged late), not silently applied.
            OutOfOrder = false,
            // Erase would drop every object in the schema; nothing here should ever ask for it.
            IsEraseDisabled = true,
            // Evolve replaces only the placeholders it is given: none, so "${...}" and "$$" reach PostgreSQL as written.
            Placeholders = [],
            // No timeout: a migration may legitimately rewrite a large table.
            CommandTimeout = 0,
        };

        if (options.Directory is { } directory)
        {
            evolve.Locations = [directory];
        }
        else
        {
            evolve.EmbeddedResourceAssemblies = [typeof(EvolveSetup).Assembly];
            evolve.EmbeddedResourceFilters = [MigrationFiles.ResourcePrefix(database)];
        }

        if (options.UpTo is { } upTo)
        {
            evolve.TargetVersion = new MigrationVersion(MigrationFiles.VersionOf(upTo)
                ?? throw new ArgumentException($"'{upTo}' is not a migration name like \"0002_api_keys\".", nameof(options)));
        }

        return evolve;
    }
}
