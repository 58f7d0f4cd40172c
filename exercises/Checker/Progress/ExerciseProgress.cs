namespace Lab.Checker.Progress;

public sealed record ExerciseProgress
{
    public DateTimeOffset? PassedAt { get; init; }

    public int HintsRevealed { get; init; }

    public DateTimeOffset? LastRunAt { get; init; }

    public string? LastOutcome { get; init; }
}
