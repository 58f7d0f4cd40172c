namespace Snapshot.Job;

/// <summary>A setting, the rules file or a tool the job needs is missing or wrong; nothing was changed.</summary>
internal sealed class SnapshotConfigurationException(string message) : Exception(message);

/// <summary>The rules do not match the source's schema; nothing was copied. Each problem is one line.</summary>
internal sealed class RulesMismatchException(IReadOnlyList<string> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>Another run holds the lock of the same work database.</summary>
internal sealed class RunInProgressException(string message) : Exception(message);
