namespace Exercises.Tests;

public sealed class ResumableJobTests(LabFixture lab)
{
    [Fact]
    public async Task Starter_fails_a_restart_masks_committed_rows_again()
    {
        Answers.Failed(await lab.VerifyStarterAsync(7), "Nothing tells a new run where the last one stopped");
    }

    [Fact]
    public async Task Reference_solution_passes_two_crashes_and_a_rerun()
    {
        Answers.Passed(await lab.VerifySolutionAsync(7));
    }

    [Theory]
    [InlineData("progress-after-commit.cs", "Run 2 was killed just as a batch committed, before your code heard back")]
    [InlineData("progress-before-batch.cs", "your record of the progress said it was done")]
    [InlineData("looks-like-a-pseudonym.cs", "addresses that look like pseudonyms")]
    [InlineData("clears-progress-when-done.cs", "A finished step must change nothing when it runs again")]
    [InlineData("keeps-original-column.cs", "customers.original_email: 25,000 real emails")]
    [InlineData("backup-table.cs", "email_backup.email")]
    [InlineData("one-record-for-both-tables.cs", "Does each table read its own record?")]
    [InlineData("id-greater-or-equal.cs", "(id > last, not id >= last)")]
    [InlineData("empty.cs", "must keep the method the checker calls")]
    public async Task Wrong_answer_fails_with_its_explanation(string file, string explanation)
    {
        Answers.Failed(await lab.VerifyWrongAnswerAsync(7, file), explanation);
    }

    /// <summary>Other correct answers pass too; one transaction per table is told what it costs.</summary>
    [Theory]
    [InlineData("one-transaction-per-table.cs", "in one transaction. That is correct")]
    [InlineData("marker-column.cs", "Every email is masked exactly once")]
    [InlineData("single-statement-batch.cs", "No real email is left anywhere in the work copy")]
    public async Task Other_correct_answer_passes(string file, string remark)
    {
        var verdict = await lab.VerifyOtherAnswerAsync(7, file);

        Answers.Passed(verdict);
        Assert.Contains(remark, LabFixture.Text(verdict), StringComparison.Ordinal);
    }
}
