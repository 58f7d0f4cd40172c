using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Sandbox.Testing;

namespace Migrator.IntegrationTests;

/// <summary>A service whose schema is behind stays alive, answers 503 on /health/ready naming the missing migration, and turns ready once migrated.</summary>
public sealed class SchemaReadinessTests(PostgresFixture postgres)
{
    private static readonly string s_newest = MigrationFiles.For("appdb")[^1];

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ready_is_503_naming_the_missing_migration_while_behind_and_200_once_migrated()
    {
        await using var scratch = await postgres.CreateScratchDatabaseAsync("ready");
        await DatabaseMigrator.MigrateAsync(scratch.DataSource, "appdb", new MigrationOptions { UpTo = "0002_api_keys" }, Cancellation);
        await using var app = await StartServiceAsync(scratch.ConnectionString);
        using var client = app.GetTestClient();

        var behind = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), Cancellation);
        var behindBody = await behind.Content.ReadAsStringAsync(Cancellation);
        var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative), Cancellation);
        await DatabaseMigrator.MigrateAsync(scratch.DataSource, "appdb", cancellationToken: Cancellation);
        var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), Cancellation);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, behind.StatusCode);
        Assert.Contains($"appdb is at 0002_api_keys; this code needs {s_newest}: run the Migrator", behindBody, StringComparison.Ordinal);
        Assert.Contains("appdb-schema", behindBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains($"\"current\": \"{s_newest}\"", await ready.Content.ReadAsStringAsync(Cancellation), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_is_503_when_no_migration_ever_ran()
    {
        await using var scratch = await postgres.CreateScratchDatabaseAsync("empty");
        await using var app = await StartServiceAsync(scratch.ConnectionString);
        using var client = app.GetTestClient();

        var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), Cancellation);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains($"appdb has no schema_migrations table (no migration has run); this code needs {s_newest}",
            await response.Content.ReadAsStringAsync(Cancellation), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_attempt_of_the_required_migration_does_not_count_as_applied()
    {
        await using var scratch = await postgres.CreateScratchDatabaseAsync("failedattempt");
        var before = MigrationFiles.For("appdb")[^2];
        await DatabaseMigrator.MigrateAsync(scratch.DataSource, "appdb", new MigrationOptions { UpTo = before }, Cancellation);
        // What Evolve writes when a file fails: its row, with success = false.
        await using (var failed = scratch.DataSource.CreateCommand(
            "INSERT INTO schema_migrations (type, version, description, name, checksum, installed_by, success) VALUES (0, $1, 'failed', $2, '', current_user, false)"))
        {
            failed.Parameters.AddWithValue(MigrationFiles.VersionOf(s_newest)!);
            failed.Parameters.AddWithValue(MigrationFiles.FileNameOf(s_newest));
            await failed.ExecuteNonQueryAsync(Cancellation);
        }

        await using var app = await StartServiceAsync(scratch.ConnectionString);
        using var client = app.GetTestClient();
        var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), Cancellation);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains($"appdb is at {before}; this code needs {s_newest}: run the Migrator", await response.Content.ReadAsStringAsync(Cancellation), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_is_503_naming_the_old_bookkeeping_table_when_the_database_predates_evolve()
    {
        await using var scratch = await postgres.CreateScratchDatabaseAsync("legacyready");
        await using (var legacy = scratch.DataSource.CreateCommand(
            "CREATE TABLE schema_migrations (version int PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), execution_ms int NOT NULL)"))
        {
            await legacy.ExecuteNonQueryAsync(Cancellation);
        }

        await using var app = await StartServiceAsync(scratch.ConnectionString);
        using var client = app.GetTestClient();
        var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), Cancellation);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("appdb has the schema_migrations table of the Migrator before Evolve", await response.Content.ReadAsStringAsync(Cancellation), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_is_503_with_the_error_when_the_database_is_unreachable()
    {
        var unreachable = new NpgsqlConnectionStringBuilder(postgres.ConnectionString("appdb")) { Port = 1, Timeout = 2 }.ConnectionString;
        await using var app = await StartServiceAsync(unreachable);
        using var client = app.GetTestClient();

        var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), Cancellation);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("appdb is unreachable", await response.Content.ReadAsStringAsync(Cancellation), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("users")]
    [InlineData("_users")]
    [InlineData("0000_nothing")]
    public void A_required_migration_without_a_version_is_refused_at_startup(string requiredMigration)
    {
        var error = Assert.Throws<ArgumentException>(
            () => new ServiceCollection().AddHealthChecks().AddSchemaVersionCheck("appdb", requiredMigration));

        Assert.Equal("requiredMigration", error.ParamName);
    }

    private static async Task<WebApplication> StartServiceAsync(string connectionString)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseTestServer();
        builder.AddServiceDefaults();
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        builder.Services.AddHealthChecks().AddSchemaVersionCheck("appdb", s_newest);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync(Cancellation);
        return app;
    }
}
