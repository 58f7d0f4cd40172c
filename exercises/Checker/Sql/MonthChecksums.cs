using Npgsql;

namespace Lab.Checker.Sql;

/// <summary>One month of an audit table: its event count and a checksum over every column of every row.</summary>
public sealed record MonthSum(string Month, long Events, decimal Checksum);

/// <summary>Per-month counts and checksums, to prove that a migration or a retention job lost or changed no row.</summary>
public static class MonthChecksums
{
    public static async Task<IReadOnlyDictionary<string, MonthSum>> ComputeAsync(
        NpgsqlConnection connection, string table, string where, CancellationToken cancellationToken)
    {
        var sql = SqlResources.Read("Sql/month_checksums.sql", new Dictionary<string, object> { ["table"] = table, ["where"] = where });
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var months = new Dictionary<string, MonthSum>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            var month = new MonthSum(reader.GetString(0), reader.GetInt64(1), reader.GetDecimal(2));
            months[month.Month] = month;
        }

        return months;
    }

    /// <summary>Lines describing each month that differs (missing, extra rows, changed content); empty when equal.</summary>
    public static IReadOnlyList<string> Differences(IReadOnlyDictionary<string, MonthSum> expected, IReadOnlyDictionary<string, MonthSum> actual)
    {
        var lines = new List<string>();
        foreach (var month in expected.Keys.Union(actual.Keys).Order(StringComparer.Ordinal))
        {
            var before = expected.GetValueOrDefault(month);
            var after = actual.GetValueOrDefault(month);
            if (before is null)
            {
                lines.Add($"{month}: {PlanText.Count(after!.Events)} events that were not there before");
            }
            else if (after is null)
            {
                lines.Add($"{month}: all {PlanText.Count(before.Events)} events are gone");
            }
            else if (before.Events != after.Events)
            {
                lines.Add($"{month}: {PlanText.Count(before.Events)} events before, {PlanText.Count(after.Events)} after");
            }
            else if (before.Checksum != after.Checksum)
            {
                lines.Add($"{month}: {PlanText.Count(before.Events)} events before and after, but their content changed");
            }
        }

        return lines;
    }
}
