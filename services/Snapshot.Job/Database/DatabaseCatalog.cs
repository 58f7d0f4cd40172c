using Npgsql;
using Snapshot.Job.Masking;

namespace Snapshot.Job.Database;

/// <summary>The tables and columns of a database that a snapshot copies, and the foreign keys between them.</summary>
internal sealed record DatabaseCatalog(IReadOnlyList<ColumnInfo> Columns, IReadOnlyList<ForeignKey> ForeignKeys)
{
    public IReadOnlyList<TableName> Tables => Columns.Select(column => column.Table).Distinct().ToList();

    public static async Task<DatabaseCatalog> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var columns = new List<ColumnInfo>();
        await using (var command = new NpgsqlCommand(SqlText.Load("Database/select_columns.sql"), connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                columns.Add(new ColumnInfo(
                    new TableName(reader.GetString(0), reader.GetString(1)),
                    reader.GetString(2),
                    reader.GetString(3),
                    FamilyOf(reader.GetString(4)),
                    reader.GetBoolean(5),
                    reader.GetBoolean(6)));
            }
        }

        var foreignKeys = new List<ForeignKey>();
        await using (var command = new NpgsqlCommand(SqlText.Load("Database/select_foreign_keys.sql"), connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                foreignKeys.Add(new ForeignKey(
                    new TableName(reader.GetString(0), reader.GetString(1)),
                    new TableName(reader.GetString(2), reader.GetString(3))));
            }
        }

        return new DatabaseCatalog(columns, foreignKeys);
    }

    internal static ColumnFamily FamilyOf(string baseType) => baseType switch
    {
        "text" or "varchar" or "bpchar" or "citext" or "name" => ColumnFamily.Text,
        "bytea" => ColumnFamily.Bytes,
        "inet" or "cidr" => ColumnFamily.IpAddress,
        _ => ColumnFamily.Other,
    };
}

/// <summary>A column: its table, name, SQL type (as format_type prints it), family, and whether it is NOT NULL or generated.</summary>
internal sealed record ColumnInfo(TableName Table, string Column, string DataType, ColumnFamily Family, bool NotNull, bool Generated);

/// <summary><see cref="Referencing"/> has a foreign key to <see cref="Referenced"/>.</summary>
internal sealed record ForeignKey(TableName Referencing, TableName Referenced);
