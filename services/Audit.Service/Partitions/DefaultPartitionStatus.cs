namespace Audit.Service.Partitions;

/// <summary>The last known content of audit_events_default, per month ("2019-03" → rows).</summary>
internal sealed record DefaultPartitionReport(IReadOnlyDictionary<string, long> RowsPerMonth)
{
    public static DefaultPartitionReport Empty { get; } = new(new Dictionary<string, long>());

    public long Rows => RowsPerMonth.Values.Sum();

    public override string ToString() =>
        Rows == 0
            ? "The default partition is empty."
            : $"{Rows} row(s) in audit_events_default, for month(s) {string.Join(", ", RowsPerMonth.Select(m => $"{m.Key} ({m.Value})"))}: " +
              "events whose month had no partition. They move into their month's partition when it is created.";
}

/// <summary>
/// Holds the latest <see cref="DefaultPartitionReport"/> for the metric and the health check. Reads overlap (maintenance,
/// readiness, the store after a stray), so each takes a ticket before it queries and only the latest-started read's
/// report is kept: one that started before a stray was committed never overwrites one that saw it.
/// </summary>
internal sealed class DefaultPartitionStatus
{
    private readonly Lock _gate = new();
    private DefaultPartitionReport _current = DefaultPartitionReport.Empty;
    private long _issued;
    private long _applied;

    public DefaultPartitionReport Current => Volatile.Read(ref _current);

    public long TakeTicket() => Interlocked.Increment(ref _issued);

    public void Update(DefaultPartitionReport report, long ticket)
    {
        lock (_gate)
        {
            if (ticket > _applied)
            {
                _applied = ticket;
                Volatile.Write(ref _current, report);
            }
        }
    }
}
