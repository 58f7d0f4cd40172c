using Lab.Checker.Infrastructure;
using Lab.Checker.Progress;
using Lab.Checker.Verification;

namespace Exercises.Tests;

/// <summary>The commands around verify: list, hint, solution, reset, exit codes, progress. On a temporary copy.</summary>
public sealed class CliTests(LabFixture lab) : IDisposable
{
    private readonly TemporaryLab _copy = new(lab.Root);

    [Fact]
    public async Task List_shows_the_first_pending_exercise_as_current()
    {
        var (exitCode, output) = await _copy.RunAsync("list");

        Assert.Equal(0, exitCode);
        Assert.Contains($"0 of {lab.Manifest.Exercises.Count} done", output, StringComparison.Ordinal);
        Assert.Contains("> 01  B-tree index", output, StringComparison.Ordinal);
        Assert.Contains("  02  Composite, covering and partial indexes", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_follows_the_progress_file()
    {
        var progress = ProgressStore.Load(_copy.ProgressFile);
        progress.RecordRun("01-btree-index", passed: true, DateTimeOffset.UtcNow);
        progress.Save();

        var (_, output) = await _copy.RunAsync("list");

        Assert.Contains("✓ 01  B-tree index", output, StringComparison.Ordinal);
        Assert.Contains("> 02  Composite", output, StringComparison.Ordinal);
        Assert.Contains($"1 of {lab.Manifest.Exercises.Count} done", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hint_reveals_one_more_each_time_and_remembers()
    {
        var hints = lab.Exercise(1).Hints;

        var (_, first) = await _copy.RunAsync("hint", "1");
        var (_, second) = await _copy.RunAsync("hint", "01");
        await _copy.RunAsync("hint", "1");
        var (exitCode, fourth) = await _copy.RunAsync("hint", "1");

        Assert.Contains("hint 1 of 3", first, StringComparison.Ordinal);
        Assert.Contains(hints[0][..40], first, StringComparison.Ordinal);
        Assert.DoesNotContain(hints[1][..40], first, StringComparison.Ordinal);
        Assert.Contains("hint 2 of 3", second, StringComparison.Ordinal);
        Assert.Contains(hints[1][..40], second, StringComparison.Ordinal);
        Assert.Equal(0, exitCode);
        Assert.Contains("hint 3 of 3", fourth, StringComparison.Ordinal);
        Assert.Contains("That was the last hint", fourth, StringComparison.Ordinal);
        Assert.Equal(3, ProgressStore.Load(_copy.ProgressFile).For("01-btree-index").HintsRevealed);
    }

    [Fact]
    public async Task Solution_needs_a_pass_or_yes()
    {
        var (refused, refusal) = await _copy.RunAsync("solution", "1");
        var (confirmed, shown) = await _copy.RunAsync("solution", "1", "--yes");
        var progress = ProgressStore.Load(_copy.ProgressFile);
        progress.RecordRun("01-btree-index", passed: true, DateTimeOffset.UtcNow);
        progress.Save();
        var (afterPass, _) = await _copy.RunAsync("solution", "1");

        Assert.Equal(1, refused);
        Assert.Contains("Not shown: you have not passed 01 yet", refusal, StringComparison.Ordinal);
        Assert.Contains("0 of 3 seen so far", refusal, StringComparison.Ordinal);
        Assert.Contains("solution 1 --yes", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain("CREATE INDEX", refusal, StringComparison.Ordinal);
        Assert.Equal(0, confirmed);
        Assert.Contains("CREATE INDEX audit_events_actor_recent_idx", shown, StringComparison.Ordinal);
        Assert.Equal(0, afterPass);
    }

    [Fact]
    public async Task Reset_restores_the_starter_keeps_the_learners_version_and_forgets_progress()
    {
        var learnerFile = _copy.PathOf("exercises/05-kafka-keys/EventKey.cs");
        var starter = await File.ReadAllTextAsync(_copy.PathOf("exercises/.starters/05-kafka-keys/EventKey.cs"), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(learnerFile, "// my attempt", TestContext.Current.CancellationToken);
        var progress = ProgressStore.Load(_copy.ProgressFile);
        progress.RevealHint("05-kafka-keys", 3);
        progress.Save();

        var (exitCode, output) = await _copy.RunAsync("reset", "5");

        Assert.Equal(0, exitCode);
        Assert.Contains("is the starter file again", output, StringComparison.Ordinal);
        Assert.Contains("Your progress on 05 is cleared: the 1 hint you had seen", output, StringComparison.Ordinal);
        Assert.Contains("lab.05.", output, StringComparison.Ordinal);
        Assert.Equal(starter, await File.ReadAllTextAsync(learnerFile, TestContext.Current.CancellationToken));
        var backup = Assert.Single(Directory.GetFiles(_copy.PathOf(".sandbox/lab-backups/05-kafka-keys"), "EventKey.cs", SearchOption.AllDirectories));
        Assert.Equal("// my attempt", await File.ReadAllTextAsync(backup, TestContext.Current.CancellationToken));
        Assert.Equal(0, ProgressStore.Load(_copy.ProgressFile).For("05-kafka-keys").HintsRevealed);
    }

    [Theory]
    [InlineData("verify", "99")]
    [InlineData("verify", "one")]
    [InlineData("frobnicate")]
    [InlineData("hint")]
    public async Task Usage_errors_exit_with_2(params string[] args)
    {
        var (exitCode, output) = await _copy.RunAsync(args);

        Assert.Equal(2, exitCode);
        Assert.False(string.IsNullOrWhiteSpace(output));
    }

    [Fact]
    public async Task Verify_without_infrastructure_could_not_run_and_names_the_start_command()
    {
        var down = new LabInfrastructure(LabConnections.FromValues(new Dictionary<string, string>
        {
            ["labdb"] = "Host=127.0.0.1;Port=1;Username=postgres;Password=x;Database=labdb",
        }));
        await using (down)
        {
            var verdict = await ExerciseVerifier.VerifyAsync(lab.Exercise(1), _copy.PathOf("exercises/01-btree-index"), down, null, TestContext.Current.CancellationToken);

            Assert.Equal(Outcome.NotRun, verdict.Outcome);
            Assert.Equal(2, verdict.ExitCode);
            Assert.Contains("scripts/infra up", LabFixture.Text(verdict), StringComparison.Ordinal);
        }
    }

    public void Dispose() => _copy.Dispose();
}
