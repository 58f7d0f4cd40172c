namespace Snapshot.Job.IntegrationTests;

/// <summary>
/// The job killed (SIGKILL, by itself at a test hook) at each step boundary and inside each step, then run again:
/// the rerun reuses the work database, finishes, and writes the same snapshot as an uninterrupted run.
/// </summary>
public sealed class CrashResumeTests(SnapshotSource source)
{
    public static TheoryData<string> CrashPoints => new(
        "in-step-1", "after-step-1", "in-step-2", "after-step-2", "in-step-3", "after-step-3", "in-step-4", "after-step-4");

    [Theory]
    [MemberData(nameof(CrashPoints))]
    public async Task A_run_killed_at_a_point_is_finished_by_the_next_run_with_the_same_snapshot(string crashAt)
    {
        var (reference, _) = await source.ReferenceAsync();
        await using var workspace = new JobWorkspace(source.ConnectionString);

        var killed = await workspace.RunAsync(("Snapshot__Testing__CrashAt", crashAt), ("Snapshot__Testing__RunKey", SnapshotSource.RunKey));

        Assert.True(killed.ExitCode == JobResult.Killed, killed.ToString());
        Assert.Contains($"CrashAt={crashAt}: killing the process now", killed.Error, StringComparison.Ordinal);
        Assert.True(await workspace.WorkDatabaseExistsAsync(), "The killed run's work database is gone.");
        Assert.Equal(crashAt == "after-step-4", workspace.Files().Any(file => file.EndsWith(".manifest.json", StringComparison.Ordinal)));

        // Before step 1 is recorded there is nothing to resume, so the rerun starts over and needs the same key to
        // match the reference; after that the rerun must take the key from the work database, so it gets none.
        var startsOver = crashAt == "in-step-1";
        var rerun = startsOver
            ? await workspace.RunAsync(("Snapshot__Testing__RunKey", SnapshotSource.RunKey))
            : await workspace.RunAsync();

        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Contains(startsOver ? "holds no completed copy" : "Resuming run", rerun.Output, StringComparison.Ordinal);
        Assert.False(await workspace.WorkDatabaseExistsAsync(), "The finished run left its work database.");
        var manifest = workspace.Manifest();
        Assert.Equal(Snapshots.Content(reference), Snapshots.Content(manifest));
        Assert.Equal(startsOver || crashAt == "after-step-4" ? 1 : 2, manifest.Attempts);
        Assert.Equal(2, workspace.Files().Count); // the dump and its manifest: no temporary file left
    }

    [Theory]
    [InlineData("changed rules", "rules/chirp.json changed since that run started")]
    [InlineData("stale copy", "older than Snapshot:MaxResumeAge")]
    public async Task An_interrupted_run_is_started_over_when_its_rules_changed_or_its_copy_is_stale(string why, string reason)
    {
        var (reference, _) = await source.ReferenceAsync();
        await using var workspace = new JobWorkspace(source.ConnectionString);
        var killed = await workspace.RunAsync(("Snapshot__Testing__CrashAt", "after-step-2"), ("Snapshot__Testing__RunKey", SnapshotSource.RunKey));
        Assert.True(killed.ExitCode == JobResult.Killed, killed.ToString());
        var rules = Path.Combine(Path.GetTempPath(), $"snapshot-rules-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(rules, (await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "rules", "chirp.json"), TestContext.Current.CancellationToken))
            .Replace("\"version\": 1,", "\"version\": 2,", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        try
        {
            var rerun = why == "changed rules"
                ? await workspace.RunAsync(("Snapshot__Rules", rules), ("Snapshot__Testing__RunKey", SnapshotSource.RunKey))
                : await workspace.RunAsync(("Snapshot__MaxResumeAge", "00:00:00"), ("Snapshot__Testing__RunKey", SnapshotSource.RunKey));

            Assert.True(rerun.ExitCode == 0, rerun.ToString());
            Assert.Contains($"Not resuming from the work database {workspace.WorkDatabase}", rerun.Output, StringComparison.Ordinal);
            Assert.Contains(why == "changed rules" ? reason.Replace("rules/chirp.json", rules, StringComparison.Ordinal) : reason, rerun.Output, StringComparison.Ordinal);
            var manifest = workspace.Manifest();
            Assert.Equal(1, manifest.Attempts);
            Assert.Equal(why == "changed rules" ? 2 : 1, manifest.Rules.Version);
            Assert.Equal(Snapshots.Content(reference), Snapshots.Content(manifest));
        }
        finally
        {
            File.Delete(rules);
        }
    }
}
