using System.Security.Cryptography;
using System.Text;
using Npgsql;
using Snapshot.Job.Database;
using Snapshot.Job.Masking;

namespace Snapshot.Job.Manifest;

/// <summary>A table's row count and SHA-256 over its rows in a fixed order (table_rows.sql), streamed, never held in memory.</summary>
internal static class TableFingerprint
{
    public static async Task<(long Rows, string Checksum)> ComputeAsync(NpgsqlDataSource dataSource, TableName table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var sql = SqlText.Load("Manifest/table_rows.sql").Replace("{table}", table.Quoted, StringComparison.Ordinal);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long rows = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(reader.GetString(0)));
            hash.AppendData("\n"u8);
            rows++;
        }

        return (rows, "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
