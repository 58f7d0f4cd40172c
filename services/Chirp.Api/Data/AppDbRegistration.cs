using Chirp.Api.Idempotency;
using Dapper;

namespace Chirp.Api.Data;

public static class AppDbRegistration
{
    /// <summary>
    /// The newest appdb migration this code needs (0006 added users.bio, which it reads and writes). /health/ready stays
    /// 503 until the Migrator has applied it. Raise it only when the code starts using a newer migration.
    /// </summary>
    public const string RequiredMigration = "0006_users_bio";

    private const string Database = "appdb";

    /// <summary>
    /// appdb's NpgsqlDataSource from Aspire's integration (ConnectionStrings:appdb, with Npgsql's tracing and metrics and
    /// its "PostgreSql" health check), the write transaction, the idempotency purge, and the schema readiness check.
    /// </summary>
    public static IHostApplicationBuilder AddAppDb(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // Columns are snake_case (created_at), properties PascalCase (CreatedAt).
        DefaultTypeMap.MatchNamesWithUnderscores = true;

        // Checked here because the integration reads the connection string now, and names Aspire's sections, not ours.
        builder.Configuration.GetRequiredConnectionString(Database);
        builder.AddNpgsqlDataSource(Database);
        builder.Services.AddScoped<WriteTransaction>();
        builder.Services.AddHostedService<IdempotencyKeyPurger>();
        builder.Services.AddHealthChecks().AddSchemaVersionCheck(Database, RequiredMigration);
        return builder;
    }
}
