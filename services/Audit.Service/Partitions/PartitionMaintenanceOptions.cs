namespace Audit.Service.Partitions;

/// <summary>Configuration section "Audit:Partitions".</summary>
public sealed class PartitionMaintenanceOptions
{
    public const string Section = "Audit:Partitions";

    /// <summary>Months created beyond the current one (UTC).</summary>
    public int MonthsAhead { get; set; } = 3;

    /// <summary>How often maintenance runs after the run at start.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Whether a run also creates the partitions of months found in the default partition (moving those rows).</summary>
    public bool AdoptStrayMonths { get; set; } = true;
}
