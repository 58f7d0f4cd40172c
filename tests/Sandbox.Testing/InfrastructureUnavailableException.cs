namespace Sandbox.Testing;

/// <summary>A server the tests need does not answer; the message names the command that starts it.</summary>
public sealed class InfrastructureUnavailableException : Exception
{
    public InfrastructureUnavailableException(string message)
        : base(message)
    {
    }

    public InfrastructureUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InfrastructureUnavailableException()
    {
    }
}
