namespace Exercises.Tests;

/// <summary>Exercise 10 judges how fast probes answer, so its tests run alone, not beside another exercise's.</summary>
[Collection(Sequential.Name)]
public sealed class HealthProbesTests(LabFixture lab)
{
    [Fact]
    public async Task Starter_fails_liveness_checks_the_dependencies()
    {
        Answers.Failed(await lab.VerifyStarterAsync(10), "the restart loop of the story");
    }

    [Fact]
    public async Task Reference_solution_passes_every_dependency_stopped_and_hung()
    {
        Answers.Passed(await lab.VerifySolutionAsync(10));
    }

    [Theory]
    [InlineData("liveness-checks-the-database.cs", "/health/live answered 503 Unhealthy")]
    [InlineData("liveness-pings-the-database.cs", "/health/live talks to PostgreSQL")]
    [InlineData("kafka-makes-it-unready.cs", "the instance left the rotation because of Kafka")]
    [InlineData("no-deadline.cs", "A hanging server never says no")]
    [InlineData("schema-not-checked.cs", "while the schema was one migration behind the code")]
    [InlineData("schema-must-match-exactly.cs", "this build still works with")]
    [InlineData("throws-in-add-checks.cs", "The service did not start with your health checks")]
    public async Task Wrong_answer_fails_with_its_explanation(string file, string explanation)
    {
        Answers.Failed(await lab.VerifyWrongAnswerAsync(10, file), explanation);
    }

    [Theory]
    [InlineData("polled-in-the-background.cs")]
    [InlineData("check-classes-with-timeouts.cs")]
    public async Task Other_correct_answer_passes(string file)
    {
        Answers.Passed(await AnswerFolders.VerifyAsync(lab, 10, "OtherAnswers", file));
    }
}
