namespace Audit.Service.Tail;

/// <summary>Configuration section "Audit:Tail".</summary>
public sealed class AuditTailOptions
{
    public const string Section = "Audit:Tail";

    /// <summary>Events buffered per client; a client that falls this far behind is disconnected.</summary>
    public int ClientBufferSize { get; set; } = 1000;
}
