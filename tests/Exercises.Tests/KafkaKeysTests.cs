namespace Exercises.Tests;

public sealed class KafkaKeysTests(LabFixture lab)
{
    [Fact]
    public async Task Starter_fails_showing_an_account_out_of_order()
    {
        Answers.Failed(await lab.VerifyStarterAsync(5), "had their events applied out of order");
    }

    [Fact]
    public async Task Reference_solution_passes()
    {
        Answers.Passed(await lab.VerifySolutionAsync(5));
    }

    [Theory]
    [InlineData("constant-key.cs", "went to partition")]
    [InlineData("no-key.cs", "Your KeyFor returns null")]
    [InlineData("sequence-key.cs", "applied out of order")]
    [InlineData("does-not-compile.cs", "exercises/05-kafka-keys/EventKey.cs:5: error CS1061")]
    public async Task Wrong_answer_fails_with_its_explanation(string file, string explanation)
    {
        Answers.Failed(await lab.VerifyWrongAnswerAsync(5, file), explanation);
    }
}
