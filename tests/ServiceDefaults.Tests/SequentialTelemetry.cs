namespace ServiceDefaults.Tests;

/// <summary>
/// Tests that assert on .NET's built-in metrics run one at a time: every app in the process creates instruments with the
/// same meter and instrument names, the SDK merges those into one stream, and disposing one app's meters ends the stream
/// for the others too. One app per process (as in production) never meets this.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SequentialTelemetry
{
    public const string Name = "Sequential telemetry";
}
