namespace Exercises.Tests;

[Collection(Lab01.Name)]
public sealed class BtreeIndexTests(LabFixture lab)
{
    [Fact]
    public async Task Starter_fails_showing_the_full_scan()
    {
        Answers.Failed(await lab.VerifyStarterAsync(1), "Parallel Seq Scan on audit_events");
    }

    [Fact]
    public async Task Reference_solution_passes()
    {
        Answers.Passed(await lab.VerifySolutionAsync(1));
    }

    [Theory]
    [InlineData("actor-only.sql", "not in time order")]
    [InlineData("wrong-column-order.sql", "starts with occurred_at")]
    [InlineData("hash-index.sql", "is a hash index")]
    [InlineData("wrong-column.sql", "did not use your index")]
    [InlineData("only-actor-4242.sql", "not on the second one")]
    public async Task Wrong_answer_fails_with_its_explanation(string file, string explanation)
    {
        Answers.Failed(await lab.VerifyWrongAnswerAsync(1, file), explanation);
    }
}
