using System.Diagnostics;

namespace Snapshot.Job.Testing;

/// <summary>
/// Snapshot:Testing:CrashAt for the tests and the exercise checker: at the named point the process kills itself the
/// way <c>kill -9</c> or a power cut would: no finally blocks, no clean shutdown, connections dropped by the OS.
/// Points: <c>after-step-N</c> (the step is recorded as done) and <c>in-step-N</c> (part of the step's work is done,
/// not the step), N = 1..4.
/// </summary>
internal sealed class TestHooks(string? crashAt)
{
    private const int StepCount = 4;

    public static IReadOnlyList<string> Points { get; } =
        [.. Enumerable.Range(1, StepCount).SelectMany(step => new[] { InStep(step), AfterStep(step) })];

    public static string AfterStep(int step) => $"after-step-{step}";

    public static string InStep(int step) => $"in-step-{step}";

    public void Reached(string point)
    {
        if (!string.Equals(crashAt, point, StringComparison.Ordinal))
        {
            return;
        }

        // Written directly: the logger's queue would die with the process before writing it.
        Console.Error.WriteLine($"Snapshot:Testing:CrashAt={point}: killing the process now.");
        Console.Error.Flush();
        Process.GetCurrentProcess().Kill();
    }
}
