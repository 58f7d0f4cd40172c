using Npgsql;
using Xunit;

namespace Sandbox.Testing;

/// <summary>
/// The native PostgreSQL server: one data source per sandbox database, and disposable scratch databases
/// for tests that need a database of their own (migrations, snapshots).
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private static readonly string[] s_databases = ["appdb", "auditdb", "labdb"];
    private readonly Dictionary<string, NpgsqlDataSource> _dataSources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _connectionStrings = new(StringComparer.Ordinal);

    public NpgsqlDataSource AppDb => _dataSources["appdb"];

    public NpgsqlDataSource AuditDb => _dataSources["auditdb"];

    public NpgsqlDataSource LabDb => _dataSources["labdb"];

    public string ConnectionString(string database) => _connectionStrings[database];

    public async ValueTask InitializeAsync()
    {
        foreach (var name in s_databases)
        {
            var connectionString = SandboxEnvironment.ConnectionString(name);
            _connectionStrings[name] = connectionString;
            var dataSource = NpgsqlDataSource.Create(connectionString);
            _dataSources[name] = dataSource;
            try
            {
                await using var command = dataSource.CreateCommand("SELECT 1");
                await command.ExecuteScalarAsync();
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
            {
                var builder = new NpgsqlConnectionStringBuilder(connectionString);
                throw new InfrastructureUnavailableException(
                    $"PostgreSQL database '{name}' does not answer at {builder.Host}:{builder.Port} ({ex.Message}). " +
                    $"Start the native infrastructure with `{SandboxEnvironment.StartCommand}`.",
                    ex);
            }
        }
    }

    /// <summary>Creates an empty database that is dropped when the returned object is disposed.</summary>
    public async Task<ScratchDatabase> CreateScratchDatabaseAsync(string purpose)
    {
        var name = $"test_{purpose}_{Guid.NewGuid():N}".ToLowerInvariant();
        name = name[..Math.Min(name.Length, 63)];
        var maintenance = MaintenanceConnectionString();
        await using (var connection = new NpgsqlConnection(maintenance))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(maintenance) { Database = name }.ConnectionString;
        return new ScratchDatabase(name, connectionString, maintenance);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var dataSource in _dataSources.Values)
        {
            await dataSource.DisposeAsync();
        }
    }

    private string MaintenanceConnectionString() =>
        new NpgsqlConnectionStringBuilder(_connectionStrings["appdb"]) { Database = "postgres" }.ConnectionString;
}
