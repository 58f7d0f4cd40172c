namespace Exercises.Tests;

public sealed class RetentionTests(LabFixture lab)
{
    [Fact]
    public async Task Starter_fails_its_delete_leaves_empty_partitions()
    {
        Answers.Failed(await lab.VerifyStarterAsync(4), "Your job deleted them row by row (DELETE on audit_events");
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
    [InlineData("detach-without-drop.sql", "their data is still on disk: lab04.audit_events_")]
    [InlineData("detach-and-rename.sql", "their data is still on disk: lab04.archived_audit_events_")]
    [InlineData("copy-to-archive-then-drop.sql", "their events were copied first: audit_events_archive")]
    [InlineData("delete-then-drop.sql", "your job deleted them row by row (DELETE on audit_events")]
    [InlineData("truncate-only.sql", "Your job emptied them with TRUNCATE")]
    [InlineData("drop-only.sql", "no DEFAULT partition")]
    [InlineData("drop-five-oldest.sql", "not on the second one")]
    public async Task Wrong_answer_fails_with_its_explanation(string file, string explanation)
    {
        Answers.Failed(await lab.VerifyWrongAnswerAsync(4, file), explanation);
    }

    /// <summary>Whatever the job does to the table, the learner gets a verdict, never a stack trace.</summary>
    [Theory]
    [InlineData("empty.sql", "does nothing yet")]
    [InlineData("only-a-function.sql", "are still in audit_events")]
    [InlineData("drops-the-table.sql", "Your job dropped audit_events and created another table under its name")]
    [InlineData("view-in-its-place.sql", "audit_events is a view, no longer the partitioned table")]
    public async Task Odd_answer_gets_a_verdict(string file, string explanation)
    {
        Answers.Failed(await lab.VerifyWrongAnswerAsync(4, file), explanation);
    }

    [Theory]
    [InlineData("by-partition-bounds.sql")]
    [InlineData("computed-names.sql")]
    [InlineData("drop-without-detach.sql")]
    [InlineData("truncate-detach-drop.sql")]
    public async Task Other_correct_answer_passes(string file)
    {
        Answers.Passed(await lab.VerifyOtherAnswerAsync(4, file));
    }
}
