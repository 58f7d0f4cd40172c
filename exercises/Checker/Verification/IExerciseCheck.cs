namespace Lab.Checker.Verification;

/// <summary>
/// The verification of one exercise. A new exercise is a manifest entry, a folder, and one class implementing this
/// (found by its <see cref="Id"/>, which the manifest's "check" names).
/// </summary>
public interface IExerciseCheck
{
    string Id { get; }

    /// <summary>Runs the learner's files in <see cref="CheckContext.Directory"/> against the infrastructure.</summary>
    Task<CheckResult> VerifyAsync(CheckContext context, CancellationToken cancellationToken);

    /// <summary>
    /// Puts the exercise's infrastructure state (schemas, topics, keys) back to where the exercise starts, and says
    /// what it did in one sentence for the learner.
    /// </summary>
    Task<string> ResetAsync(CheckContext context, CancellationToken cancellationToken);
}

/// <summary>What a check found: passed or not, and the body of what the learner is told.</summary>
public sealed record CheckResult(bool Passed, Report Report)
{
    public static CheckResult Pass(Report report) => new(true, report);

    public static CheckResult Fail(Report report) => new(false, report);
}
