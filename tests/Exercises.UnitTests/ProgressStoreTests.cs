using Lab.Checker.Progress;

namespace Exercises.UnitTests;

public sealed class ProgressStoreTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"lab-progress-{Guid.NewGuid():N}", "progress.json");

    [Fact]
    public void Passes_and_hints_survive_a_reload()
    {
        var store = ProgressStore.Load(_path);
        store.RecordRun("01-btree-index", passed: false, DateTimeOffset.UtcNow);
        store.RecordRun("01-btree-index", passed: true, DateTimeOffset.UtcNow);
        store.RevealHint("02-composite-covering-partial", available: 3);
        store.RevealHint("02-composite-covering-partial", available: 3);
        store.Save();

        var reloaded = ProgressStore.Load(_path);

        Assert.True(reloaded.IsPassed("01-btree-index"));
        Assert.False(reloaded.IsPassed("02-composite-covering-partial"));
        Assert.Equal(2, reloaded.For("02-composite-covering-partial").HintsRevealed);
    }

    [Fact]
    public void A_later_failure_does_not_take_a_pass_back()
    {
        var store = ProgressStore.Load(_path);
        store.RecordRun("01-btree-index", passed: true, DateTimeOffset.UtcNow);
        store.RecordRun("01-btree-index", passed: false, DateTimeOffset.UtcNow);

        Assert.True(store.IsPassed("01-btree-index"));
        Assert.Equal("failed", store.For("01-btree-index").LastOutcome);
    }

    [Fact]
    public void Hints_stop_at_the_last_one()
    {
        var store = ProgressStore.Load(_path);

        var revealed = Enumerable.Range(0, 5).Select(_ => store.RevealHint("01-btree-index", available: 3)).ToList();

        Assert.Equal([1, 2, 3, 3, 3], revealed);
    }

    [Fact]
    public void A_broken_file_is_set_aside_not_fatal()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        File.WriteAllText(_path, "{ not json");

        var store = ProgressStore.Load(_path);

        Assert.False(store.IsPassed("01-btree-index"));
        Assert.True(File.Exists(_path + ".broken"));
    }

    public void Dispose()
    {
        var directory = Path.GetDirectoryName(_path)!;
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
