using Npgsql;

namespace Snapshot.Job.Database;

/// <summary>
/// What the job needs to know of the source before it copies anything: the server's version (pg_dump must be at least
/// as new), the encoding and locale the work database is created with, and the schema version for the manifest.
/// </summary>
internal sealed record SourceFacts(
    string Database,
    string ServerVersion,
    int ServerMajor,
    string Encoding,
    string Collate,
    string Ctype,
    string? SchemaVersion)
{
    public static async Task<SourceFacts> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        string serverVersion, encoding, collate, ctype;
        int serverMajor;
        bool hasSchemaMigrations;
        await using (var command = new NpgsqlCommand(SqlText.Load("Database/select_source_facts.sql"), connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            serverVersion = reader.GetString(0);
            serverMajor = reader.GetInt32(1);
            encoding = reader.GetString(2);
            collate = reader.GetString(3);
            ctype = reader.GetString(4);
            hasSchemaMigrations = reader.GetBoolean(5);
        }

        string? schemaVersion = null;
        if (hasSchemaMigrations)
        {
            await using var command = new NpgsqlCommand(SqlText.Load("Database/select_schema_version.sql"), connection);
            schemaVersion = await command.ExecuteScalarAsync(cancellationToken) as string;
        }

        return new SourceFacts(connection.Database, serverVersion, serverMajor, encoding, collate, ctype, schemaVersion);
    }
}
