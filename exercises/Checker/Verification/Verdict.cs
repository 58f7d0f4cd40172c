namespace Lab.Checker.Verification;

public enum Outcome
{
    Passed,
    Failed,

    /// <summary>The check could not run (infrastructure down, exercise unknown): exit code 2, progress untouched.</summary>
    NotRun,
}

/// <summary>The result of verifying one exercise, with everything the learner is told.</summary>
public sealed record Verdict(Outcome Outcome, Report Report)
{
    public bool Passed => Outcome == Outcome.Passed;

    public int ExitCode => Outcome switch
    {
        Outcome.Passed => 0,
        Outcome.Failed => 1,
        _ => 2,
    };
}
