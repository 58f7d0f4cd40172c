namespace Exercises.Tests;

public sealed class AtLeastOnceTests(LabFixture lab)
{
    [Fact]
    public async Task Starter_fails_auto_commit_loses_a_payment()
    {
        Answers.Failed(await lab.VerifyStarterAsync(6), "Your Configure leaves EnableAutoCommit on");
    }

    [Fact]
    public async Task Reference_solution_passes_three_crashes()
    {
        Answers.Passed(await lab.VerifySolutionAsync(6));
    }

    [Theory]
    [InlineData("no-dedup.cs", "nothing remembers which payments were applied")]
    [InlineData("dedup-outside-transaction.cs", "must commit in one transaction")]
    [InlineData("commit-before-processing.cs", "Its offset had already been committed")]
    public async Task Wrong_answer_fails_with_its_explanation(string file, string explanation)
    {
        Answers.Failed(await lab.VerifyWrongAnswerAsync(6, file), explanation);
    }
}
