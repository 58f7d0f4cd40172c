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

/// <summary>Holds the latest <see cref="DefaultPartitionReport"/> for the metric and the health check.</summary>
internal sealed class DefaultPartitionStatus
{
    private readonly Lock _gate = new();
    private DefaultPartitionReport _current = DefaultPartitionReport.Empty;

    public DefaultPartitionReport Current => Volatile.Read(ref _current);

    public void Update(DefaultPartitionReport report) => Volatile.Write(ref _current, report);

    /// <summary>Counts rows just stored in the default partition, until the next full read replaces the report.</summary>
    public void Add(IEnumerable<DateTimeOffset> occurredAt)
    {
        lock (_gate)
        {
            var months = new SortedDictionary<string, long>(Current.RowsPerMonth.ToDictionary(), StringComparer.Ordinal);
            foreach (var time in occurredAt)
            {
                var month = time.UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
                months[month] = months.GetValueOrDefault(month) + 1;
            }

            Update(new DefaultPartitionReport(months));
        }
    }
}
