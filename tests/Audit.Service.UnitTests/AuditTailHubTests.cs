using System.Diagnostics.Metrics;
using System.Text.Json;
using Audit.Service.Api;
using Audit.Service.Ingestion;
using Audit.Service.Partitions;
using Audit.Service.Tail;
using Audit.Service.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Audit.Service.UnitTests;

public sealed class AuditTailHubTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    [Fact]
    public async Task A_client_that_falls_behind_is_cut_off_without_blocking_the_publisher_or_other_clients()
    {
        var hub = Hub(bufferSize: 2);
        using var slow = hub.Subscribe(actorId: null);
        using var fast = hub.Subscribe(actorId: null);
        var received = new List<long>();

        for (var id = 1; id <= 5; id++)
        {
            hub.Publish(Event(id, Guid.NewGuid()));
            while (fast.Events.TryRead(out var audit))
            {
                received.Add(audit.Id);
            }
        }

        Assert.Equal([1L, 2L, 3L, 4L, 5L], received);
        Assert.True(slow.Overflowed);
        var buffered = new List<long>();
        await foreach (var audit in slow.Events.ReadAllAsync(TestContext.Current.CancellationToken))
        {
            buffered.Add(audit.Id);
        }

        Assert.Equal([1L, 2L], buffered);
        Assert.True(hub.HasSubscribers);
    }

    [Fact]
    public void A_filtered_client_gets_only_its_actors_events_and_a_disposed_one_nothing()
    {
        var hub = Hub(bufferSize: 10);
        var actor = Guid.NewGuid();
        var mine = hub.Subscribe(actor);
        var gone = hub.Subscribe(actorId: null);
        gone.Dispose();

        hub.Publish(Event(1, Guid.NewGuid()));
        hub.Publish(Event(2, actor));

        Assert.True(mine.Events.TryRead(out var only));
        Assert.Equal(2, only!.Id);
        Assert.False(mine.Events.TryRead(out _));
        mine.Dispose();
        Assert.False(hub.HasSubscribers);
    }

    public void Dispose() => _services.Dispose();

    private AuditTailHub Hub(int bufferSize) => new(
        Options.Create(new AuditTailOptions { ClientBufferSize = bufferSize }),
        new AuditTelemetry(_services.GetRequiredService<IMeterFactory>(), new ConsumerLag(), new DefaultPartitionStatus()));

    private static AuditEventResponse Event(long id, Guid actor)
    {
        using var payload = JsonDocument.Parse("{}");
        return new AuditEventResponse(
            id, Guid.NewGuid(), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, actor, id, "chirp.created", "chirp", Guid.NewGuid(),
            payload.RootElement.Clone(), null, null, new string('0', 64), new string('1', 64));
    }
}
