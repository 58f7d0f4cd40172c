namespace Audit.Service.Ingestion;

/// <summary>Configuration section "Audit:Consumer". The brokers come from ConnectionStrings:kafka.</summary>
public sealed class AuditConsumerOptions
{
    public const string Section = "Audit:Consumer";

    public bool Enabled { get; set; } = true;

    public string Topic { get; set; } = "chirp.events";

    public string GroupId { get; set; } = "audit";

    public string DeadLetterTopic { get; set; } = "chirp.events.dlq";

    /// <summary>Most messages stored in one transaction. Batches form only when messages wait; one alone is stored at once.</summary>
    public int MaxBatchSize { get; set; } = 500;

    /// <summary>
    /// Extra librdkafka consumer settings by their own names, e.g. "Audit:Consumer:Client:fetch.wait.max.ms": "100".
    /// They win over the service's defaults, but group, topic and commit behaviour come from the properties above.
    /// </summary>
    public Dictionary<string, string> Client { get; } = new(StringComparer.Ordinal);
}
