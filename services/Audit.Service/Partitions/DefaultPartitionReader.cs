using Npgsql;

namespace Audit.Service.Partitions;

/// <summary>Reads what sits in the default partition and records it in <see cref="DefaultPartitionStatus"/>.</summary>
internal sealed class DefaultPartitionReader(NpgsqlDataSource dataSource, DefaultPartitionStatus status)
{
    private static readonly string s_strays = SqlStatements.Get("Partitions/Sql/default_partition_strays.sql");

    public async Task<DefaultPartitionReport> ReadAsync(CancellationToken cancellationToken)
    {
        var ticket = status.TakeTicket();
        await using var command = dataSource.CreateCommand(s_strays);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var months = new SortedDictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            months[reader.GetString(0)] = reader.GetInt64(1);
        }

        var report = new DefaultPartitionReport(months);
        status.Update(report, ticket);
        return report;
    }
}
