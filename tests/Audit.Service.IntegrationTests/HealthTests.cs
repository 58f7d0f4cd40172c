extern alias migrator;

using System.Net;
using Sandbox.Testing;

namespace Audit.Service.IntegrationTests;

public sealed class HealthTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Readiness_is_503_naming_the_missing_migration_while_auditdb_is_behind_and_200_once_migrated()
    {
        await using var database = await AuditDatabase.CreateAsync(postgres, "behind", migrations: 2);
        await using var service = AuditServiceFactory.Create(database.ConnectionString, "127.0.0.1:1");
        using var client = service.CreateClient();

        var behind = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken);
        var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative), TestContext.Current.CancellationToken);
        var schema = await PartitionTests.ReadinessEntryAsync(client, "auditdb-schema");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, behind.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Unhealthy", schema.GetProperty("status").GetString());
        Assert.Contains(AuditServiceRegistration.RequiredMigration, schema.GetProperty("description").GetString(), StringComparison.Ordinal);

        await database.MigrateAsync();
        var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Unreachable_kafka_makes_the_service_degraded_not_unready()
    {
        await using var database = await AuditDatabase.CreateAsync(postgres, "nokafka");
        var topics = new AuditTopics("chirp.events", "chirp.events.dlq", $"audit-nokafka-{Guid.NewGuid():N}");
        // A closed port: every connection is refused, as when the brokers are down.
        await using var service = AuditServiceFactory.Create(database.ConnectionString, "127.0.0.1:1", topics);
        using var client = service.CreateClient();

        await Eventually.HoldsAsync(
            async () => (await PartitionTests.ReadinessEntryAsync(client, "kafka-consumer")).GetProperty("description").GetString()!.Contains("unreachable", StringComparison.Ordinal),
            "the consumer to notice that no broker answers");
        var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken);
        var kafka = await PartitionTests.ReadinessEntryAsync(client, "kafka-consumer");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Degraded", kafka.GetProperty("status").GetString());
        Assert.Equal("Healthy", (await PartitionTests.ReadinessEntryAsync(client, "auditdb-schema")).GetProperty("status").GetString());
        // Aspire.Npgsql's check, on the audit_writer data source.
        Assert.Equal("Healthy", (await PartitionTests.ReadinessEntryAsync(client, "PostgreSql")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Without_auditdb_the_service_refuses_to_start_naming_the_variable()
    {
        await using var service = AuditServiceFactory.Create(auditDbConnectionString: "", "127.0.0.1:1");

        var error = Record.Exception(() => service.CreateClient());

        Assert.NotNull(error);
        Assert.Contains("ConnectionStrings__auditdb is not set. Aspire sets it;", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_required_migration_is_the_newest_auditdb_migration()
    {
        Assert.Equal(AuditServiceRegistration.RequiredMigration, migrator::Migrator.MigrationFiles.For("auditdb")[^1]);
    }
}
