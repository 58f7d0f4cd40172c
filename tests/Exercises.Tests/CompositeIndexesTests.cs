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
    [InlineData("only-tenant-42.sql", "WHERE tenant_id = 42 leaves out")]
    [InlineData("two-story-tenants.sql", "leaves out 989,980 of the table's tickets")]
    [InlineData("vacuum-full.sql", "Your file runs VACUUM FULL")]
    [InlineData("analyze-instead-of-vacuum.sql", "Your file runs ANALYZE, which only updates statistics")]
    [InlineData("queue-not-solved.sql", "of which 1,995 are open")]
    public async Task Wrong_answer_fails_with_its_explanation(string file, string explanation)
    {
        Answers.Failed(await lab.VerifyWrongAnswerAsync(2, file), explanation);
    }

    /// <summary>Whatever the file does to the table, the learner gets a verdict, never a stack trace.</summary>
    [Theory]
    [InlineData("empty.sql", "has no statement yet")]
    [InlineData("only-a-function.sql", "lab02.dashboard(tenant integer): function")]
    [InlineData("drops-the-table.sql", "your file dropped the generated one and created another")]
    public async Task Odd_answer_gets_a_verdict(string file, string explanation)
    {
        Answers.Failed(await lab.VerifyWrongAnswerAsync(2, file), explanation);
    }

    [Theory]
    [InlineData("vacuum-before-indexes.sql")]
    [InlineData("priority-as-key-column.sql")]
    [InlineData("concurrently-and-queue-columns.sql")]
    [InlineData("separate-indexes-per-task.sql")]
    public async Task Other_correct_answer_passes(string file)
    {
        Answers.Passed(await lab.VerifyOtherAnswerAsync(2, file));
    }
}
