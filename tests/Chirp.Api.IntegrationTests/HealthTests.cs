using System.Net;
using System.Text.Json;
using Migrator;
using Sandbox.Testing;

namespace Chirp.Api.IntegrationTests;

public sealed class HealthTests(ChirpApiFixture api, PostgresFixture postgres) : IClassFixture<ChirpApiFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ready_checks_the_schema_postgres_redis_and_kafka()
    {
        using var response = await api.Client.GetAsync(new Uri("/health/ready", UriKind.Relative), Cancellation);

        var body = await response.Content.ReadAsStringAsync(Cancellation);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var checks = Checks(body);
        Assert.True(checks["appdb-schema"] == "Healthy", body);
        Assert.True(checks["PostgreSql"] == "Healthy", body); // Aspire.Npgsql's own check, kept: appdb is private.
        Assert.True(checks["redis"] == "Healthy", body);
        Assert.True(checks["kafka"] == "Healthy", body);
    }

    [Fact]
    public async Task Behind_on_its_schema_the_api_stays_alive_but_is_not_ready_until_migrated()
    {
        await using var scratch = await postgres.CreateScratchDatabaseAsync("behind");
        await DatabaseMigrator.MigrateAsync(scratch.DataSource, "appdb", new MigrationOptions { UpTo = "0005_idempotency_keys" }, Cancellation);
        await using var behind = api.CreateFactory(settings => settings["ConnectionStrings:appdb"] = scratch.ConnectionString);
        using var client = behind.CreateClient();

        using var notReady = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), Cancellation);
        var notReadyBody = await notReady.Content.ReadAsStringAsync(Cancellation);
        using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative), Cancellation);
        await DatabaseMigrator.MigrateAsync(scratch.DataSource, "appdb", cancellationToken: Cancellation);
        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), Cancellation);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Contains("appdb is at 0005_idempotency_keys; this code needs 0006_users_bio: run the Migrator", notReadyBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    private static Dictionary<string, string> Checks(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("checks").EnumerateArray().ToDictionary(
            check => check.GetProperty("name").GetString()!,
            check => check.GetProperty("status").GetString()!,
            StringComparer.Ordinal);
    }
}
