namespace Chirp.Api.Outbox;

/// <summary>Configuration section "Outbox": where events go and how the relay paces itself.</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    /// <summary>The Kafka topic written into new outbox rows (tests use a topic of their own).</summary>
    public string Topic { get; set; } = "chirp.events";

    /// <summary>Whether this process runs the relay; any number of instances may.</summary>
    public bool RelayEnabled { get; set; } = true;

    /// <summary>Rows claimed per transaction.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// How often the relay looks for rows when nothing woke it: writes in this process wake it at once; this catches
    /// rows written by other instances and retries after a failure.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long Kafka may take to acknowledge a message before the attempt counts as failed (librdkafka message.timeout.ms).</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between attempts while Kafka or the database keeps failing.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);
}
