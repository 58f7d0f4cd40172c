namespace Exercises.Tests;

/// <summary>Exercise 09 has four files: a wrong or other answer is a folder with the files that differ from the solution.</summary>
public sealed class ExpandContractTests(LabFixture lab)
{
    [Fact]
    public async Task Starter_fails_a_rename_breaks_the_running_version()
    {
        Answers.Failed(await lab.VerifyStarterAsync(9), "A RENAME COLUMN is one quick statement for the database and a breaking");
    }

    [Fact]
    public async Task Reference_solution_passes_a_rolling_update_and_a_rollback_on_both_datasets()
    {
        Answers.Passed(await lab.VerifySolutionAsync(9));
    }

    [Theory]
    [InlineData("backfill-in-one-statement", "The backfill updated every row in one statement")]
    [InlineData("contract-before-n-is-gone", "Contract (drop display_name) only in 4-contract.sql")]
    [InlineData("one-way-trigger", "your trigger copies only one way")]
    [InlineData("backfill-never-ends", "2-backfill.sql never finished")]
    [InlineData("name-left-nullable", "users.name accepts NULL")]
    public async Task Wrong_answer_fails_with_its_explanation(string folder, string explanation)
    {
        Answers.Failed(await AnswerFolders.VerifyAsync(lab, 9, "WrongAnswers", folder), explanation);
    }

    [Theory]
    [InlineData("backfill-in-a-do-block")]
    [InlineData("plain-set-not-null")]
    [InlineData("rename-behind-a-view")]
    public async Task Other_correct_answer_passes(string folder)
    {
        Answers.Passed(await AnswerFolders.VerifyAsync(lab, 9, "OtherAnswers", folder));
    }
}
