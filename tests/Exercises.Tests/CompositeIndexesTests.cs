namespace Exercises.Tests;

public sealed class CompositeIndexesTests(LabFixture lab)
{
    [Fact]
    public async Task Starter_fails_showing_the_three_queries_today()
    {
        Answers.Failed(await lab.VerifyStarterAsync(2), "has no statement yet");
    }

    [Fact]
    public async Task Reference_solution_passes()
    {
        Answers.Passed(await lab.VerifySolutionAsync(2));
    }

    [Theory]
    [InlineData("range-column-first.sql", "starts with the range column")]
    [InlineData("no-vacuum.sql", "VACUUM tickets")]
    [InlineData("not-covering.sql", "INCLUDE stores a column")]
    [InlineData("full-index-for-open.sql", "A partial index")]
    [InlineData("only-tenant-42.sql", "not on the second one")]
    public async Task Wrong_answer_fails_with_its_explanation(string file, string explanation)
    {
        Answers.Failed(await lab.VerifyWrongAnswerAsync(2, file), explanation);
    }
}
