using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;

namespace Snapshot.Job.Telemetry;

/// <summary>The job's own instruments, on the service's Meter ("Snapshot.Job").</summary>
internal sealed class SnapshotMetrics
{
    public SnapshotMetrics(ServiceTelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        var meter = telemetry.Meter;
        RunDuration = meter.CreateHistogram<double>("snapshot.run.duration", "s", "How long a run of the snapshot job took, by outcome.");
        StepDuration = meter.CreateHistogram<double>("snapshot.step.duration", "s", "How long each step took when it ran (a resumed run skips completed steps).");
        Rows = meter.CreateCounter<long>("snapshot.rows", "{row}", "Rows each step copied, masked or wrote.");
        Retries = meter.CreateCounter<long>("snapshot.retries", "{retry}", "Units of work tried again after a transient failure.");
    }

    public Histogram<double> RunDuration { get; }

    public Histogram<double> StepDuration { get; }

    public Counter<long> Rows { get; }

    public Counter<long> Retries { get; }
}
