using System.Diagnostics.Metrics;

namespace Chirp.Api.Telemetry;

/// <summary>The API's own instruments, on the service's Meter ("Chirp.Api").</summary>
public sealed class ChirpMetrics
{
    private long _backlog = -1;

    public ChirpMetrics(ServiceTelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        var meter = telemetry.Meter;
        CacheHits = meter.CreateCounter<long>("chirp.timeline_cache.hits", "{request}", "Timeline first pages served from Redis.");
        CacheMisses = meter.CreateCounter<long>("chirp.timeline_cache.misses", "{request}", "Timeline first pages read from the database because Redis had none.");
        CacheErrors = meter.CreateCounter<long>("chirp.timeline_cache.errors", "{operation}", "Redis calls that failed or timed out; the request fell through to the database.");
        EventsPublished = meter.CreateCounter<long>("chirp.outbox.events_published", "{event}", "Outbox events Kafka acknowledged.");
        PublishFailures = meter.CreateCounter<long>("chirp.outbox.publish_failures", "{event}", "Outbox events Kafka did not acknowledge; they stay in the outbox and are retried.");
        meter.CreateObservableGauge(
            "chirp.outbox.backlog",
            ObserveBacklog,
            "{event}",
            "Outbox events not yet published, as the relay last counted them.");
    }

    public Counter<long> CacheHits { get; }

    public Counter<long> CacheMisses { get; }

    public Counter<long> CacheErrors { get; }

    public Counter<long> EventsPublished { get; }

    public Counter<long> PublishFailures { get; }

    public void RecordBacklog(long unsent) => Interlocked.Exchange(ref _backlog, unsent);

    private IEnumerable<Measurement<long>> ObserveBacklog()
    {
        var backlog = Interlocked.Read(ref _backlog);
        return backlog < 0 ? [] : [new Measurement<long>(backlog)];
    }
}
