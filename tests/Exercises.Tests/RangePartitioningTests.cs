namespace Exercises.Tests;

public sealed class RangePartitioningTests(LabFixture lab)
{
    [Fact]
    public async Task Starter_fails_the_table_still_plain()
    {
        Answers.Failed(await lab.VerifyStarterAsync(3), "still one plain table");
    }

    [Fact]
    public async Task Reference_solution_passes()
    {
        Answers.Passed(await lab.VerifySolutionAsync(3));
    }

    [Theory]
    [InlineData("no-lock.sql", "are not in the new table")]
    [InlineData("no-id-default.sql", "null value in column \"id\"")]
    [InlineData("hardcoded-months.sql", "not on the second one")]
    public async Task Wrong_answer_fails_with_its_explanation(string file, string explanation)
    {
        Answers.Failed(await lab.VerifyWrongAnswerAsync(3, file), explanation);
    }
}
