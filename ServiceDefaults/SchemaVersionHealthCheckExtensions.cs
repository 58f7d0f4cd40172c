using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using ServiceDefaults;

namespace Microsoft.Extensions.Hosting;

/// <summary>Registers the schema readiness check: <c>builder.Services.AddHealthChecks().AddSchemaVersionCheck("appdb", "0006_users_bio")</c>.</summary>
public static class SchemaVersionHealthCheckExtensions
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Adds the check "<paramref name="database"/>-schema": Unhealthy (so /health/ready answers 503) while the database's
    /// <c>schema_migrations</c> (Evolve's table, written by the Migrator) is missing or has not recorded
    /// <paramref name="requiredMigration"/> (the file V&lt;name&gt;.sql) as applied, with a description naming the
    /// missing migration and where the database is; Healthy otherwise. Never tagged "live": a process behind on its schema
    /// is alive, just not ready.
    /// </summary>
    /// <param name="requiredMigration">The newest migration this code needs, e.g. "0004_outbox" for the file V0004_outbox.sql; its version is the numeric prefix.</param>
    /// <param name="dataSource">The database's data source; by default the <see cref="NpgsqlDataSource"/> registered in the container.</param>
    public static IHealthChecksBuilder AddSchemaVersionCheck(
        this IHealthChecksBuilder builder,
        string database,
        string requiredMigration,
        Func<IServiceProvider, NpgsqlDataSource>? dataSource = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        ArgumentException.ThrowIfNullOrWhiteSpace(requiredMigration);
        var version = VersionOf(requiredMigration)
            ?? throw new ArgumentException(
                $"'{requiredMigration}' is not a migration name like \"0004_outbox\" (a version number, an underscore, a slug: the file V0004_outbox.sql).",
                nameof(requiredMigration));
        var resolve = dataSource ?? (services => services.GetRequiredService<NpgsqlDataSource>());

        return builder.Add(new HealthCheckRegistration(
            $"{database}-schema",
            services => new SchemaVersionHealthCheck(database, requiredMigration, version, resolve(services)),
            HealthStatus.Unhealthy,
            tags: ["ready"],
            timeout: s_timeout));
    }

    private static int? VersionOf(string migration)
    {
        var separator = migration.IndexOf('_', StringComparison.Ordinal);
        return separator > 0
            && int.TryParse(migration.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            && version > 0
                ? version
                : null;
    }
}
