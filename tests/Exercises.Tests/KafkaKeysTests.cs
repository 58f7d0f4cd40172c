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
    [InlineData("constant-key.cs", "That is the only reason every account's events stayed in order in this run")]
    [InlineData("account-prefix.cs", "1 distinct key (first: \"acc-\") for 60 accounts")]
    [InlineData("hash-code-key.cs", ".NET randomizes string hash codes per process")]
    [InlineData("first-seen-counter.cs", "another key in another process")]
    [InlineData("empty.cs", "must keep the method the producer calls")]
    [InlineData("no-key.cs", "Your KeyFor returns null")]
    [InlineData("sequence-key.cs", "applied out of order")]
    [InlineData("does-not-compile.cs", "exercises/05-kafka-keys/EventKey.cs:5: error CS1061")]
    public async Task Wrong_answer_fails_with_its_explanation(string file, string explanation)
    {
        Answers.Failed(await lab.VerifyWrongAnswerAsync(5, file), explanation);
    }

    [Theory]
    [InlineData("upper-case-account.cs")]
    [InlineData("stable-hash.cs")]
    [InlineData("account-number.cs")]
    public async Task Other_correct_answer_passes(string file)
    {
        Answers.Passed(await lab.VerifyOtherAnswerAsync(5, file));
    }
}
