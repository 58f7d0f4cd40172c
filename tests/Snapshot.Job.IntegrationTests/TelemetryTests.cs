using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Snapshot.Job.IntegrationTests;

/// <summary>The job hosted in the test's process, so its spans and measurements can be listened to.</summary>
public sealed class TelemetryTests(SnapshotSource source)
{
    private const string ServiceName = "Snapshot.Job";

    [Fact]
    public async Task A_run_traces_each_step_and_table_with_row_counts_and_measures_its_duration()
    {
        await using var workspace = new JobWorkspace(source.ConnectionString);
        using var testSource = new ActivitySource("Snapshot.Job.IntegrationTests");
        var spans = new ConcurrentQueue<Activity>();
        var measurements = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var spanListener = new ActivityListener
        {
            ShouldListenTo = listened => listened.Name is ServiceName or "Snapshot.Job.IntegrationTests",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(spanListener);
        using var meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ServiceName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meterListener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
            measurements.Enqueue((instrument.Name, value, tags.ToArray().ToDictionary(tag => tag.Key, tag => tag.Value))));
        meterListener.Start();

        int exitCode;
        ActivityTraceId traceId;
        using (var parent = testSource.StartActivity("test"))
        {
            traceId = parent!.TraceId;
            exitCode = await SnapshotCommand.RunAsync(
            [
                $"--ConnectionStrings:appdb={source.ConnectionString}",
                $"--Snapshot:OutputDirectory={workspace.OutputDirectory}",
                $"--Snapshot:WorkDatabase={workspace.WorkDatabase}",
                $"--Snapshot:Testing:RunKey={SnapshotSource.RunKey}",
            ]);
        }

        Assert.Equal(ExitCodes.Success, exitCode);
        var ours = spans.Where(span => span.TraceId == traceId && span.Source.Name == ServiceName).ToList();
        Assert.Single(ours, span => span.DisplayName == "snapshot run");
        var copied = source.Data.Users.Count + source.Data.ApiKeys.Count + source.Data.Chirps.Count
            + await Snapshots.CountAsync(source.DataSource, "SELECT count(*) FROM schema_migrations");
        foreach (var (name, rows) in new[]
        {
            ("step 1 copy", copied),
            ("step 2 anonymize", source.Data.Users.Count + source.Data.Chirps.Count),
            ("step 3 replace-secrets", source.Data.ApiKeys.Count),
            ("step 4 write-snapshot", copied),
        })
        {
            var step = Assert.Single(ours, span => span.DisplayName == name);
            Assert.Equal((long)rows, step.GetTagItem("snapshot.rows"));
        }

        var users = Assert.Single(ours, span => span.DisplayName == "anonymize public.users");
        Assert.Equal((long)source.Data.Users.Count, users.GetTagItem("snapshot.rows"));
        Assert.Equal("public.users", users.GetTagItem("db.collection.name"));
        Assert.Single(ours, span => span.DisplayName == "pg_dump | pg_restore");

        var run = Assert.Single(measurements, measurement => measurement.Instrument == "snapshot.run.duration");
        Assert.Equal("success", run.Tags["snapshot.outcome"]);
        Assert.Equal("chirp", run.Tags["snapshot.application"]);
        Assert.Equal(
            ["anonymize", "copy", "replace-secrets", "write-snapshot"],
            measurements.Where(measurement => measurement.Instrument == "snapshot.step.duration").Select(measurement => (string)measurement.Tags["snapshot.step"]!).Order(StringComparer.Ordinal));
    }
}
