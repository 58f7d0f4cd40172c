using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;

namespace ServiceDefaults.Tests;

/// <summary>
/// An exporter that keeps what the SDK would export, behind the same processor an exporter uses (so unrecorded spans,
/// like health probes', never reach it). Every app in the process emits under the same source names, so tests look for
/// their own spans by route or trace id.
/// </summary>
internal sealed class CapturedSpans : BaseExporter<Activity>
{
    private readonly ConcurrentQueue<Activity> spans = new();

    public IReadOnlyList<Activity> All => [.. spans];

    /// <summary>
    /// The first span that matches, waiting for it: a server ends its span after the client has the response.
    /// </summary>
    public async Task<Activity> WaitForAsync(Func<Activity, bool> predicate)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            if (spans.FirstOrDefault(predicate) is { } span)
            {
                return span;
            }

            if (timeout.IsCancellationRequested)
            {
                Assert.Fail($"No matching span among {spans.Count}: {string.Join(", ", spans.Select(s => s.DisplayName))}");
            }

            await Task.Delay(10, CancellationToken.None);
        }
    }

    public BaseProcessor<Activity> Processor() => new SimpleActivityExportProcessor(this);

    public override ExportResult Export(in Batch<Activity> batch)
    {
        foreach (var activity in batch)
        {
            spans.Enqueue(activity);
        }

        return ExportResult.Success;
    }
}
