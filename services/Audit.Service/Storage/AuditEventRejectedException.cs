namespace Audit.Service.Storage;

/// <summary>
/// PostgreSQL refused the data of an event itself (SQLSTATE class 22, e.g. a number jsonb cannot hold). Retrying
/// cannot help; the consumer finds the event and sends it to the dead-letter topic.
/// </summary>
public sealed class AuditEventRejectedException : Exception
{
    public AuditEventRejectedException()
    {
    }

    public AuditEventRejectedException(string message)
        : base(message)
    {
    }

    public AuditEventRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
