using Lab.Checker.Verification;

namespace Exercises.Tests;

/// <summary>Assertions that print the checker's whole message when they fail.</summary>
internal static class Answers
{
    public static void Passed(Verdict verdict) =>
        Assert.True(verdict.Outcome == Outcome.Passed, $"expected a pass, got {verdict.Outcome}:\n{LabFixture.Text(verdict)}");

    /// <summary>Failed (not "could not run"), and the explanation contains <paramref name="explanation"/>.</summary>
    public static void Failed(Verdict verdict, string explanation)
    {
        var text = LabFixture.Text(verdict);
        Assert.True(verdict.Outcome == Outcome.Failed, $"expected a failure, got {verdict.Outcome}:\n{text}");
        Assert.True(text.Contains(explanation, StringComparison.Ordinal), $"expected the message to contain \"{explanation}\":\n{text}");
    }
}
