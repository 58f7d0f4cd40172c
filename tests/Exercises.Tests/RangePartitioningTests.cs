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
    [InlineData("missing-month-in-default.sql", "sit in the DEFAULT partition audit_events_default")]
    [InlineData("catch-up-by-highest-id.sql", "a catch-up by \"id greater than the highest copied\" skips the late ones")]
    [InlineData("drop-old-table-cascade.sql", "CASCADE removed the new table's default")]
    [InlineData("view-under-the-name.sql", "audit_events is a view, not a table")]
    public async Task Wrong_answer_fails_with_its_explanation(string file, string explanation)
    {
        Answers.Failed(await lab.VerifyWrongAnswerAsync(3, file), explanation);
    }

    /// <summary>Whatever the migration leaves behind, the learner gets a verdict, never a stack trace.</summary>
    [Theory]
    [InlineData("empty.sql", "does nothing yet")]
    [InlineData("only-a-function.sql", "still a plain table")]
    [InlineData("drops-the-table.sql", "are gone")]
    [InlineData("dropped-without-replacement.sql", "no table named audit_events")]
    public async Task Odd_answer_gets_a_verdict(string file, string explanation)
    {
        Answers.Failed(await lab.VerifyWrongAnswerAsync(3, file), explanation);
    }

    [Theory]
    [InlineData("copy-then-lock-and-catch-up.sql")]
    [InlineData("explicit-partitions.sql")]
    [InlineData("fill-then-attach.sql")]
    [InlineData("default-partition-and-access-exclusive.sql")]
    public async Task Other_correct_answer_passes(string file)
    {
        Answers.Passed(await lab.VerifyOtherAnswerAsync(3, file));
    }
}
