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
    [InlineData("only-actor-4242.sql", "leaves out 999,811 of the table's events")]
    [InlineData("two-story-actors.sql", "It serves actor 4242, and no actor it leaves out")]
    [InlineData("low-actor-ids-only.sql", "(its WHERE clause)")]
    [InlineData("nulls-last.sql", "DESC NULLS LAST order is not one the query can read")]
    public async Task Wrong_answer_fails_with_its_explanation(string file, string explanation)
    {
        Answers.Failed(await lab.VerifyWrongAnswerAsync(1, file), explanation);
    }

    /// <summary>Whatever the file does to the table, the learner gets a verdict, never a stack trace.</summary>
    [Theory]
    [InlineData("empty.sql", "has no statement yet")]
    [InlineData("only-a-function.sql", "lab01.recent_events(actor integer): function")]
    [InlineData("drops-the-table.sql", "your file dropped the generated one and created another")]
    [InlineData("view-instead-of-table.sql", "audit_events is a view, not the table it was")]
    public async Task Odd_answer_gets_a_verdict(string file, string explanation)
    {
        Answers.Failed(await lab.VerifyWrongAnswerAsync(1, file), explanation);
    }

    [Theory]
    [InlineData("ascending-backward-scan.sql")]
    [InlineData("concurrently.sql")]
    [InlineData("covering-include.sql")]
    [InlineData("explicit-nulls-first.sql")]
    public async Task Other_correct_answer_passes(string file)
    {
        Answers.Passed(await lab.VerifyOtherAnswerAsync(1, file));
    }
}
