namespace Exercises.Tests;

public sealed class TransactionalOutboxTests(LabFixture lab)
{
    [Fact]
    public async Task Starter_fails_events_lost_while_kafka_was_down()
    {
        Answers.Failed(await lab.VerifyStarterAsync(11), "commits the order and then publishes to Kafka itself");
    }

    [Fact]
    public async Task Reference_solution_passes_a_killed_relay_two_relays_and_kafka_down()
    {
        Answers.Passed(await lab.VerifySolutionAsync(11));
    }

    [Theory]
    [InlineData("publish-before-commit.cs", "rolled back at its commit, published anyway")]
    [InlineData("publish-inside-the-transaction.cs", "rolled back at its commit, published anyway")]
    [InlineData("no-skip-locked.cs", "They took turns instead of sharing the work")]
    [InlineData("claim-without-locking.cs", "Two relays took the same rows")]
    [InlineData("mark-before-the-acknowledgement.cs", "Your relay marked them before Kafka had acknowledged them")]
    [InlineData("new-event-id-per-publish.cs", "different event ids")]
    [InlineData("batches-reorder-a-customer.cs", "events arrived out of order: order #")]
    [InlineData("write-path-hangs.cs", "no answer within 10 s")]
    public async Task Wrong_answer_fails_with_its_explanation(string file, string explanation)
    {
        Answers.Failed(await lab.VerifyWrongAnswerAsync(11, file), explanation);
    }

    [Theory]
    [InlineData("one-relay-at-a-time.cs")]
    [InlineData("lock-per-key.cs")]
    public async Task Other_correct_answer_passes(string file)
    {
        Answers.Passed(await AnswerFolders.VerifyAsync(lab, 11, "OtherAnswers", file));
    }
}
