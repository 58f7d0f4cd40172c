namespace Lab.Checker.Cli;

/// <summary>The command cannot run as asked (exit code 2); the message says what to type instead.</summary>
public sealed class LabUsageException : Exception
{
    public LabUsageException(string message)
        : base(message)
    {
    }

    public LabUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public LabUsageException()
    {
    }
}
