using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Snapshot.Job.Database;

/// <summary>
/// The temporary database a run works in, named deterministically (by default <c>&lt;source&gt;_snapshot_&lt;application&gt;</c>)
/// so that the next run finds what an interrupted one left. Created and dropped through the server's maintenance
/// database (<c>postgres</c>), since a database cannot drop itself.
/// </summary>
internal sealed class WorkDatabase : IAsyncDisposable
{
    private const int MaxIdentifierBytes = 63; // PostgreSQL's NAMEDATALEN - 1
    private const string Mark = "snapshot-job work database";

    public WorkDatabase(string sourceConnectionString, string name)
    {
        Name = name;
        ConnectionString = With(sourceConnectionString, name);
        MaintenanceConnectionString = With(sourceConnectionString, "postgres");
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public string MaintenanceConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>
    /// <c>&lt;source&gt;_snapshot_&lt;application&gt;</c>; a name longer than PostgreSQL allows is cut and ends with a
    /// hash of the whole, so it stays unique and the same from run to run.
    /// </summary>
    public static string DefaultName(string sourceDatabase, string application)
    {
        var name = $"{sourceDatabase}_snapshot_{application}";
        if (Encoding.UTF8.GetByteCount(name) <= MaxIdentifierBytes)
        {
            return name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..8];
        var keep = name;
        while (Encoding.UTF8.GetByteCount(keep) > MaxIdentifierBytes - hash.Length - 1)
        {
            keep = keep[..^1];
        }

        return $"{keep}_{hash}";
    }

    /// <summary>Whether the work database exists, and whether the job made it (mark_work_database.sql).</summary>
    public async Task<WorkDatabaseState> FindAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenMaintenanceAsync(cancellationToken);
        await using var select = new NpgsqlCommand(SqlText.Load("Database/select_work_database.sql"), connection);
        select.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Name });
        return await select.ExecuteScalarAsync(cancellationToken) switch
        {
            null => WorkDatabaseState.Missing,
            Mark => WorkDatabaseState.Made,
            _ => WorkDatabaseState.NotMadeByTheJob,
        };
    }

    public async Task CreateAsync(SourceFacts source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var sql = SqlText.Load("Database/create_work_database.sql")
            .Replace("{name}", Masking.Identifier.Quote(Name), StringComparison.Ordinal)
            .Replace("{encoding}", Literal(source.Encoding), StringComparison.Ordinal)
            .Replace("{collate}", Literal(source.Collate), StringComparison.Ordinal)
            .Replace("{ctype}", Literal(source.Ctype), StringComparison.Ordinal);
        await using var connection = await OpenMaintenanceAsync(cancellationToken);
        await using (var create = new NpgsqlCommand(sql, connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        // A separate statement: CREATE DATABASE cannot share a transaction with anything.
        var mark = SqlText.Load("Database/mark_work_database.sql").Replace("{name}", Masking.Identifier.Quote(Name), StringComparison.Ordinal);
        await using var comment = new NpgsqlCommand(mark, connection);
        await comment.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Drops the work database if it exists; call only once <see cref="FindAsync"/> said the job made it.</summary>
    public async Task DropAsync(CancellationToken cancellationToken)
    {
        // This process's own pooled connections to it would otherwise be the first thing the drop has to end.
        DataSource.Clear();
        var sql = SqlText.Load("Database/drop_work_database.sql").Replace("{name}", Masking.Identifier.Quote(Name), StringComparison.Ordinal);
        await using var connection = await OpenMaintenanceAsync(cancellationToken);
        await using var drop = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await drop.ExecuteNonQueryAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    private async Task<NpgsqlConnection> OpenMaintenanceAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(MaintenanceConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static string With(string connectionString, string database) =>
        new NpgsqlConnectionStringBuilder(connectionString)
        {
            Database = database,
            ApplicationName = PgConnectionEnvironment.ApplicationName,
        }.ConnectionString;

    private static string Literal(string value) => $"'{value.Replace("'", "''", StringComparison.Ordinal)}'";
}

/// <summary>What <see cref="WorkDatabase.FindAsync"/> found under the work database's name.</summary>
internal enum WorkDatabaseState
{
    Missing,
    Made,
    NotMadeByTheJob,
}
