namespace Exercises.Tests;

public sealed class RetentionTests(LabFixture lab)
{
    [Fact]
    public async Task Starter_fails_its_delete_leaves_empty_partitions()
    {
        Answers.Failed(await lab.VerifyStarterAsync(4), "still attached, empty");
    }

    [Fact]
    public async Task Reference_solution_passes_and_shows_the_cost_of_a_delete()
    {
        var verdict = await lab.VerifySolutionAsync(4);

        Answers.Passed(verdict);
        Assert.Contains("DELETE on a copy", LabFixture.Text(verdict), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("vacuum-full-afterwards.sql", "were rewritten (new relfilenode)")]
    [InlineData("detach-without-drop.sql", "detached but not dropped")]
    [InlineData("drop-only.sql", "no DEFAULT partition")]
    [InlineData("drop-five-oldest.sql", "not on the second one")]
    public async Task Wrong_answer_fails_with_its_explanation(string file, string explanation)
    {
        Answers.Failed(await lab.VerifyWrongAnswerAsync(4, file), explanation);
    }
}
