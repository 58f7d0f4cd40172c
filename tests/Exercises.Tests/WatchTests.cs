using Lab.Checker.Cli;
using Lab.Checker.Progress;

namespace Exercises.Tests;

[Collection(Lab01.Name)]
public sealed class WatchTests(LabFixture lab) : IDisposable
{
    private readonly TemporaryLab _copy = new(lab.Root);

    [Fact]
    public async Task Watch_checks_again_when_the_file_is_saved_through_a_rename_and_moves_on_after_a_pass()
    {
        var output = new StringWriter();
        var synchronized = TextWriter.Synchronized(output);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var session = _copy.Session(synchronized);
        var watching = Task.Run(() => Commands.WatchAsync(session, 1, stop.Token), stop.Token);

        await WaitForAsync(output, "Watching exercises/01-btree-index/index.sql");
        Assert.Contains("✗ exercises/01-btree-index/index.sql has no statement yet.", output.ToString(), StringComparison.Ordinal);

        // Save as many editors do: write a temporary file, then rename it over the original.
        var target = _copy.PathOf("exercises/01-btree-index/index.sql");
        await File.WriteAllTextAsync(target + ".tmp", await File.ReadAllTextAsync(_copy.PathOf("exercises/solutions/01-btree-index/index.sql"), stop.Token), stop.Token);
        File.Move(target + ".tmp", target, overwrite: true);

        await WaitForAsync(output, "Watching exercises/02-composite-covering-partial/indexes.sql");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watching);

        Assert.Contains("✓ Your index audit_events_actor_recent_idx", output.ToString(), StringComparison.Ordinal);
        Assert.True(ProgressStore.Load(_copy.ProgressFile).IsPassed("01-btree-index"));
    }

    public void Dispose() => _copy.Dispose();

    private static async Task WaitForAsync(StringWriter output, string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (!output.ToString().Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"\"{text}\" did not appear:\n{output}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
