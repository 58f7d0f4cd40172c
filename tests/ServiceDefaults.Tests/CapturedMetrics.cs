using System.Collections.Concurrent;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace ServiceDefaults.Tests;

/// <summary>One exported metric point: the instrument, its meter, its tags, and its value (a histogram's count).</summary>
internal sealed record MetricPointRecord(string Instrument, string Meter, IReadOnlyDictionary<string, object?> Tags, double Value);

/// <summary>An exporter behind a manual reader: the test calls <see cref="MeterProvider"/>.ForceFlush() to collect.</summary>
internal sealed class CapturedMetrics : BaseExporter<Metric>
{
    private readonly ConcurrentQueue<MetricPointRecord> points = new();

    public IReadOnlyList<MetricPointRecord> All => [.. points];

    public MetricReader Reader() => new BaseExportingMetricReader(this);

    public override ExportResult Export(in Batch<Metric> batch)
    {
        foreach (var metric in batch)
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                var tags = new Dictionary<string, object?>();
                foreach (var tag in point.Tags)
                {
                    tags[tag.Key] = tag.Value;
                }

                points.Enqueue(new MetricPointRecord(metric.Name, metric.MeterName, tags, ValueOf(metric.MetricType, point)));
            }
        }

        return ExportResult.Success;
    }

    private static double ValueOf(MetricType type, in MetricPoint point) => type switch
    {
        MetricType.Histogram => point.GetHistogramCount(),
        MetricType.LongSum or MetricType.LongSumNonMonotonic => point.GetSumLong(),
        MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic => point.GetSumDouble(),
        MetricType.LongGauge => point.GetGaugeLastValueLong(),
        MetricType.DoubleGauge => point.GetGaugeLastValueDouble(),
        _ => double.NaN,
    };
}
