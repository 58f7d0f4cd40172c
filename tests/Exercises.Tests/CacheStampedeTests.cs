namespace Exercises.Tests;

public sealed class CacheStampedeTests(LabFixture lab)
{
    [Fact]
    public async Task Starter_fails_every_read_goes_to_the_database()
    {
        Answers.Failed(await lab.VerifyStarterAsync(8), "Every read goes to the database");
    }

    [Fact]
    public async Task Reference_solution_passes_a_stampede_a_killed_lock_holder_and_redis_down()
    {
        Answers.Passed(await lab.VerifySolutionAsync(8));
    }

    [Theory]
    [InlineData("no-invalidation.cs", "PostAsync leaves the cached timeline in Redis")]
    [InlineData("invalidate-before-commit.cs", "removes the cached timeline before the chirp is committed")]
    [InlineData("lock-never-expires.cs", "Your lock for it stays forever")]
    [InlineData("ttl-without-jitter.cs", "their TTLs have no jitter")]
    [InlineData("lock-per-process.cs", "your single-flight works within a process")]
    [InlineData("no-redis-fallback.cs", "While Redis was down")]
    [InlineData("empty.cs", "must keep the two methods the checker calls")]
    public async Task Wrong_answer_fails_with_its_explanation(string file, string explanation)
    {
        Answers.Failed(await lab.VerifyWrongAnswerAsync(8, file), explanation);
    }

    [Theory]
    [InlineData("delete-before-and-after.cs")]
    [InlineData("refresh-after-commit.cs")]
    [InlineData("stale-while-revalidate.cs")]
    public async Task Other_correct_answer_passes(string file)
    {
        Answers.Passed(await AnswerFolders.VerifyAsync(lab, 8, "OtherAnswers", file));
    }
}
