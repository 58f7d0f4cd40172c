namespace Exercises.Tests;

public sealed class AtLeastOnceTests(LabFixture lab)
{
    [Fact]
    public async Task Starter_fails_auto_commit_loses_a_payment()
    {
        Answers.Failed(await lab.VerifyStarterAsync(6), "Your Configure leaves EnableAutoCommit on");
    }

    [Fact]
    public async Task Reference_solution_passes_four_crashes()
    {
        Answers.Passed(await lab.VerifySolutionAsync(6));
    }

    [Theory]
    [InlineData("no-dedup.cs", "nothing remembers which payments were applied")]
    [InlineData("dedup-outside-transaction.cs", "must commit in one transaction")]
    [InlineData("commit-before-processing.cs", "Its offset had already been committed")]
    [InlineData("commit-inside-transaction.cs", "Crash 4 killed your consumer just after its commit")]
    [InlineData("store-offset-before-db-commit.cs", "Crash 4 killed your consumer just after its commit")]
    [InlineData("commit-message-offset.cs", "Each committed offset is one short of the end")]
    [InlineData("empty.cs", "must keep the two methods the checker calls")]
    public async Task Wrong_answer_fails_with_its_explanation(string file, string explanation)
    {
        Answers.Failed(await lab.VerifyWrongAnswerAsync(6, file), explanation);
    }

    [Theory]
    [InlineData("unique-index-on-conflict.cs")]
    [InlineData("store-offset-after-db-commit.cs")]
    [InlineData("batch-per-transaction.cs")]
    [InlineData("check-then-insert-with-lock.cs")]
    public async Task Other_correct_answer_passes(string file)
    {
        Answers.Passed(await lab.VerifyOtherAnswerAsync(6, file));
    }
}
