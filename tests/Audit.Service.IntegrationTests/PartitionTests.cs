using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using System.Text.Json;
using Audit.Service.Chain;
using Audit.Service.Partitions;
using Microsoft.Extensions.DependencyInjection;
using Sandbox.Testing;

namespace Audit.Service.IntegrationTests;

public sealed class PartitionTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Monthly_partitions_exist_ahead_of_time_beside_a_default_partition()
    {
        await using var database = await AuditDatabase.CreateAsync(postgres, "ahead");
        await using var service = AuditServiceFactory.Create(database.ConnectionString, "127.0.0.1:1", overrides: ("Audit:Partitions:MonthsAhead", "5"));
        _ = service.Services;
        var now = DateTime.UtcNow;
        var expected = Enumerable.Range(0, 6).Select(ahead => $"audit_events_{new DateTime(now.Year, now.Month, 1).AddMonths(ahead):'y'yyyy'm'MM}").ToList();

        // The migration creates this month and the next 3; the service's maintenance (MonthsAhead = 5 here) the rest.
        await Eventually.HoldsAsync(async () => (await PartitionsAsync(database)).Count >= expected.Count + 1, "partitions up to 5 months ahead");
        var partitions = await PartitionsAsync(database);

        Assert.Superset(expected.Append("audit_events_default").ToHashSet(), partitions.Keys.ToHashSet());
        Assert.Equal("DEFAULT", partitions["audit_events_default"]);
        Assert.Equal(
            $"FOR VALUES FROM ('{new DateTime(now.Year, now.Month, 1):yyyy-MM-dd} 00:00:00+00') TO ('{new DateTime(now.Year, now.Month, 1).AddMonths(1):yyyy-MM-dd} 00:00:00+00')",
            partitions[expected[0]]);
    }

    [Fact]
    public async Task A_stray_month_lands_in_the_default_partition_is_reported_and_moves_out_when_its_partition_is_created()
    {
        await using var database = await AuditDatabase.CreateAsync(postgres, "stray");
        await using var service = AuditServiceFactory.Create(database.ConnectionString, "127.0.0.1:1");
        using var client = service.CreateClient();
        var actor = Guid.NewGuid();
        var stray = ChirpEvent.ChirpCreated(actor, new DateTimeOffset(2019, 3, 15, 10, 0, 0, TimeSpan.Zero));
        var current = ChirpEvent.ChirpCreated(actor);
        // The maintenance run at start would otherwise race the assertions below by adopting the stray first.
        var maintenance = service.Services.GetRequiredService<PartitionMaintenance>();
        await maintenance.FirstRunCompleted.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        await ChirpEvent.AppendAsync(service.Services, stray, current);

        Assert.Equal("audit_events_default", await PartitionOfAsync(database, stray.EventId));
        // Reported by the store as it happens, before any health check or maintenance run looks.
        Assert.Equal(1, DefaultRowsGauge(service));
        var report = await ReadinessEntryAsync(client, "auditdb-default-partition");
        Assert.Equal("Degraded", report.GetProperty("status").GetString());
        Assert.Contains("1 row(s)", report.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("2019-03", report.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, DefaultRowsGauge(service));

        var left = await maintenance.RunOnceAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, left.Rows);
        Assert.Equal("audit_events_y2019m03", await PartitionOfAsync(database, stray.EventId));
        Assert.Equal("Healthy", (await ReadinessEntryAsync(client, "auditdb-default-partition")).GetProperty("status").GetString());
        Assert.Equal(0, DefaultRowsGauge(service));
        var verification = await client.GetFromJsonAsync<ChainVerification>($"/audit/streams/{actor}/verify", TestContext.Current.CancellationToken);
        Assert.True(verification!.Valid, "moving a row between partitions keeps its hash");
        Assert.Equal(1, await AuditRows.CountAsync(database.DataSource, "event_id = $1 AND occurred_at < '2019-04-01'", stray.EventId));
    }

    [Fact]
    public async Task Creating_a_month_that_exists_already_changes_nothing()
    {
        await using var database = await AuditDatabase.CreateAsync(postgres, "exists");
        await using var service = AuditServiceFactory.Create(database.ConnectionString, "127.0.0.1:1");
        var maintenance = service.Services.GetRequiredService<PartitionMaintenance>();
        var month = DateOnly.FromDateTime(DateTime.UtcNow);

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => maintenance.EnsureMonthAsync(month.AddMonths(10), TestContext.Current.CancellationToken)));

        Assert.Equal(-1, await maintenance.EnsureMonthAsync(month, TestContext.Current.CancellationToken));
        Assert.Equal([-1L, -1L, 0L], results.Order());
    }

    private static async Task<Dictionary<string, string>> PartitionsAsync(AuditDatabase database)
    {
        // pg_get_expr prints the bounds in the session's time zone.
        await using var command = database.DataSource.CreateCommand("""
            SET TIME ZONE 'UTC';
            SELECT child.relname, pg_get_expr(child.relpartbound, child.oid)
            FROM pg_inherits JOIN pg_class child ON child.oid = pg_inherits.inhrelid
            WHERE pg_inherits.inhparent = 'audit_events'::regclass
            """);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var partitions = new Dictionary<string, string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            partitions[reader.GetString(0)] = reader.GetString(1);
        }

        return partitions;
    }

    private static Task<string> PartitionOfAsync(AuditDatabase database, Guid eventId) =>
        AuditRows.ScalarAsync<string>(database.DataSource, "SELECT tableoid::regclass::text FROM audit_events WHERE event_id = $1", eventId);

    internal static async Task<JsonElement> ReadinessEntryAsync(HttpClient client, string name)
    {
        var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return document.RootElement.GetProperty("checks").EnumerateArray()
            .Single(check => check.GetProperty("name").GetString() == name)
            .Clone();
    }

    private static long DefaultRowsGauge(AuditServiceFactory service)
    {
        var meterFactory = service.Services.GetRequiredService<IMeterFactory>();
        long? value = null;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Audit.Service" && instrument.Name == "audit.partitions.default.rows" && ReferenceEquals(instrument.Meter, meterFactory.Create("Audit.Service")))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, measurement, _, _) => value = measurement);
        listener.Start();
        listener.RecordObservableInstruments();
        return value ?? throw new InvalidOperationException("The gauge audit.partitions.default.rows is not published.");
    }
}
