using System.Globalization;
using Npgsql;

namespace Audit.Benchmarks;

/// <summary>Cores, memory and the PostgreSQL version, for the record.</summary>
internal static class Machine
{
    public static async Task<string> DescribeAsync(string connectionString)
    {
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var version = dataSource.CreateCommand("SELECT current_setting('server_version'), current_setting('shared_buffers')");
        await using var reader = await version.ExecuteReaderAsync();
        await reader.ReadAsync();
        return string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores, {memory:F0} GiB memory, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, " +
            $".NET {Environment.Version}, PostgreSQL {reader.GetString(0)} (shared_buffers {reader.GetString(1)})");
    }
}
