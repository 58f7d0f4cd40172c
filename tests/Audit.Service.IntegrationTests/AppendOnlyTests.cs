using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Sandbox.Testing;

namespace Audit.Service.IntegrationTests;

/// <summary>The service's connections act as audit_writer, which may read and append to the log but never change it.</summary>
public sealed class AppendOnlyTests(PostgresFixture postgres)
{
    private static readonly string[] s_forbidden =
    [
        "UPDATE audit_events SET action = 'forged'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
        "UPDATE audit_event_ids SET occurred_at = now()",
        "DELETE FROM audit_event_ids",
        "DELETE FROM audit_stream_heads",
        "ALTER TABLE audit_events DETACH PARTITION audit_events_default",
        "DROP TABLE audit_events_default",
    ];

    [Fact]
    public async Task Changing_stored_rows_through_the_service_data_source_is_refused()
    {
        await using var database = await AuditDatabase.CreateAsync(postgres, "appendonly");
        await using var service = AuditServiceFactory.Create(database.ConnectionString, "127.0.0.1:1");
        await ChirpEvent.AppendAsync(service.Services, ChirpEvent.ChirpCreated(Guid.NewGuid()));
        var dataSource = service.Services.GetRequiredService<NpgsqlDataSource>();

        foreach (var sql in s_forbidden)
        {
            await using var command = dataSource.CreateCommand(sql);
            var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
            Assert.True(error.SqlState == PostgresErrorCodes.InsufficientPrivilege, $"{sql}: expected 42501, got {error.SqlState} {error.MessageText}");
        }

        Assert.Equal(1, await AuditRows.CountAsync(database.DataSource));
    }

    [Fact]
    public async Task The_service_acts_as_audit_writer_and_may_insert()
    {
        await using var database = await AuditDatabase.CreateAsync(postgres, "writer");
        await using var service = AuditServiceFactory.Create(database.ConnectionString, "127.0.0.1:1");
        var dataSource = service.Services.GetRequiredService<NpgsqlDataSource>();

        await using var whoAmI = dataSource.CreateCommand("SELECT current_user");
        var role = (string)(await whoAmI.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
        await ChirpEvent.AppendAsync(service.Services, ChirpEvent.ChirpCreated(Guid.NewGuid()));

        Assert.Equal("audit_writer", role);
        Assert.Equal(1, await AuditRows.CountAsync(database.DataSource));
    }
}
