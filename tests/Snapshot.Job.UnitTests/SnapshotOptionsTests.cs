using Snapshot.Job.Configuration;

namespace Snapshot.Job.UnitTests;

public sealed class SnapshotOptionsTests
{
    [Fact]
    public void The_defaults_are_usable()
    {
        Assert.Empty(new SnapshotOptions().Problems());
    }

    [Fact]
    public void Each_unusable_setting_is_named()
    {
        var options = new SnapshotOptions
        {
            OutputDirectory = " ",
            MaxResumeAge = TimeSpan.FromMinutes(-1),
            Retry = new RetryOptions { MaxAttempts = -1, BaseDelay = TimeSpan.FromSeconds(5), MaxDelay = TimeSpan.FromSeconds(1) },
            Testing = new TestingOptions { CrashAt = "after-step-5", RunKey = "xyz" },
        };

        var problems = options.Problems();

        Assert.Equal(6, problems.Count);
        Assert.Contains("Snapshot:Testing:CrashAt must be one of in-step-1, after-step-1, in-step-2, after-step-2, in-step-3, after-step-3, in-step-4, after-step-4.", problems);
        Assert.Contains(problems, problem => problem.StartsWith("Snapshot:OutputDirectory", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("Snapshot:Retry:MaxAttempts", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("Snapshot:Retry:BaseDelay", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("Snapshot:MaxResumeAge", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("Snapshot:Testing:RunKey", StringComparison.Ordinal));
    }
}
