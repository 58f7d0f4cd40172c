using Chirp.Api.Idempotency;
using Dapper;
using Npgsql;

namespace Chirp.Api.Data;

public static class AppDbRegistration
{
    /// <summary>
    /// The newest appdb migration this code needs (0006 added users.bio, which it reads and writes). /health/ready stays
    /// 503 until the Migrator has applied it. Raise it only when the code starts using a newer migration.
    /// </summary>
    public const string RequiredMigration = "0006_users_bio";

    /// <summary>One NpgsqlDataSource for appdb (ConnectionStrings:appdb), the write transaction, and the idempotency purge.</summary>
    public static IHostApplicationBuilder AddAppDb(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // Columns are snake_case (created_at), properties PascalCase (CreatedAt).
        DefaultTypeMap.MatchNamesWithUnderscores = true;

        // Built on first use, so tests can override the connection string through configuration.
        // Npgsql traces every command itself (ActivitySource "Npgsql", which ServiceDefaults subscribes to).
        builder.Services.AddSingleton(services =>
        {
            var connectionString = services.GetRequiredService<IConfiguration>().GetConnectionString("appdb");
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException(
                    "No ConnectionStrings:appdb. Aspire sets it; in native mode run `scripts/infra up` and export " +
                    "ConnectionStrings__appdb from .sandbox/env (`set -a; . .sandbox/env; set +a`).");
            }

            return new NpgsqlDataSourceBuilder(connectionString)
                .UseLoggerFactory(services.GetRequiredService<ILoggerFactory>())
                .Build();
        });
        builder.Services.AddScoped<WriteTransaction>();
        builder.Services.AddHostedService<IdempotencyKeyPurger>();
        builder.Services.AddHealthChecks().AddSchemaVersionCheck("appdb", RequiredMigration);
        return builder;
    }
}
