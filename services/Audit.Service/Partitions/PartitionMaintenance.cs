using Microsoft.Extensions.Options;
using Npgsql;

namespace Audit.Service.Partitions;

/// <summary>
/// Keeps monthly partitions ahead of time: at start and then every <see cref="PartitionMaintenanceOptions.Interval"/>,
/// creates the current month (UTC) and the next <see cref="PartitionMaintenanceOptions.MonthsAhead"/>, reports rows in
/// the default partition, and (if <see cref="PartitionMaintenanceOptions.AdoptStrayMonths"/>) creates their months,
/// which moves them out. The DDL runs inside audit_ensure_month_partition, a SECURITY DEFINER function (0003).
/// </summary>
internal sealed partial class PartitionMaintenance(
    NpgsqlDataSource dataSource,
    DefaultPartitionReader strays,
    IOptions<PartitionMaintenanceOptions> options,
    TimeProvider timeProvider,
    ILogger<PartitionMaintenance> logger) : BackgroundService
{
    private static readonly string s_ensureMonth = SqlStatements.Get("Partitions/Sql/ensure_month_partition.sql");
    private static readonly TimeSpan s_retryAfterFailure = TimeSpan.FromMinutes(1);
    private readonly TaskCompletionSource _firstRun = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>One maintenance run; returns what is left in the default partition.</summary>
    public async Task<DefaultPartitionReport> RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = timeProvider.GetUtcNow();
        var thisMonth = new DateOnly(now.Year, now.Month, 1);
        for (var ahead = 0; ahead <= settings.MonthsAhead; ahead++)
        {
            await EnsureMonthAsync(thisMonth.AddMonths(ahead), cancellationToken);
        }

        var report = await strays.ReadAsync(cancellationToken);
        if (report.Rows == 0)
        {
            return report;
        }

        LogStrays(report.Rows, string.Join(", ", report.RowsPerMonth.Keys), settings.AdoptStrayMonths);
        if (!settings.AdoptStrayMonths)
        {
            return report;
        }

        foreach (var month in report.RowsPerMonth.Keys)
        {
            await EnsureMonthAsync(DateOnly.ParseExact(month + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        }

        return await strays.ReadAsync(cancellationToken);
    }

    /// <summary>Creates <paramref name="month"/>'s partition if it is missing; returns the strays moved into it, or -1 if it existed.</summary>
    public async Task<long> EnsureMonthAsync(DateOnly month, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(s_ensureMonth);
        command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = new DateOnly(month.Year, month.Month, 1) });
        var moved = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        if (moved >= 0)
        {
            LogCreated(month, moved);
        }

        return moved;
    }

    /// <summary>Completes once the run at start has ended, whether it succeeded or failed.</summary>
    public Task FirstRunCompleted => _firstRun.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var delay = options.Value.Interval;
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(ex, s_retryAfterFailure);
                delay = s_retryAfterFailure < delay ? s_retryAfterFailure : delay;
            }
            finally
            {
                _firstRun.TrySetResult();
            }

            try
            {
                await Task.Delay(delay, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created audit_events partition for {Month:yyyy-MM}; moved {Moved} stray row(s) into it")]
    private partial void LogCreated(DateOnly month, long moved);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Rows} row(s) wait in audit_events_default for month(s) {Months} (their partitions were missing); adopting them: {Adopt}")]
    private partial void LogStrays(long rows, string months, bool adopt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Partition maintenance failed; retrying in {Delay}")]
    private partial void LogFailed(Exception exception, TimeSpan delay);
}
