using System.Diagnostics;
using System.Diagnostics.Metrics;
using Audit.Service.Ingestion;
using Audit.Service.Partitions;

namespace Audit.Service.Telemetry;

/// <summary>
/// The service's ActivitySource and Meter, both named "Audit.Service" (ServiceDefaults subscribes to the
/// application's name), and its instruments.
/// </summary>
internal sealed class AuditTelemetry
{
    public const string Name = "Audit.Service";

    public AuditTelemetry(IMeterFactory meterFactory, ConsumerLag lag, DefaultPartitionStatus strays)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(Name);
        EventsConsumed = meter.CreateCounter<long>("audit.events.consumed", "{message}", "Messages read from the events topic.");
        EventsStored = meter.CreateCounter<long>("audit.events.stored", "{event}", "Events appended to the audit log.");
        EventsDuplicate = meter.CreateCounter<long>("audit.events.duplicates", "{event}", "Redelivered events that were already stored.");
        EventsDeadLettered = meter.CreateCounter<long>("audit.events.dead_lettered", "{message}", "Messages sent to the dead-letter topic.");
        InsertDuration = meter.CreateHistogram(
            "audit.insert.duration",
            "s",
            "Duration of one append transaction (claim ids, lock chain heads, insert, commit).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        TailDisconnectedSlow = meter.CreateCounter<long>(
            "audit.tail.disconnected", "{client}", "Live-tail clients disconnected because they read too slowly.");
        TailSubscribers = meter.CreateUpDownCounter<long>("audit.tail.subscribers", "{client}", "Connected live-tail clients.");
        meter.CreateObservableGauge(
            "audit.consumer.lag",
            lag.Measure,
            "{message}",
            "Messages in a partition after the consumer's position (high watermark - position).");
        meter.CreateObservableGauge(
            "audit.partitions.default.rows",
            () => strays.Current.Rows,
            "{row}",
            "Rows in audit_events_default: events whose month had no partition when they were stored.");
    }

    public static ActivitySource Source { get; } = new(Name);

    public Counter<long> EventsConsumed { get; }

    public Counter<long> EventsStored { get; }

    public Counter<long> EventsDuplicate { get; }

    public Counter<long> EventsDeadLettered { get; }

    public Histogram<double> InsertDuration { get; }

    public Counter<long> TailDisconnectedSlow { get; }

    public UpDownCounter<long> TailSubscribers { get; }
}
