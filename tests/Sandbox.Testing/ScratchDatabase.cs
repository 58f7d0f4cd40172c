using Npgsql;

namespace Sandbox.Testing;

/// <summary>A database of one test's own, dropped (with any open connections) on dispose.</summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly string _maintenanceConnectionString;

    internal ScratchDatabase(string name, string connectionString, string maintenanceConnectionString)
    {
        Name = name;
        ConnectionString = connectionString;
        _maintenanceConnectionString = maintenanceConnectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_maintenanceConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
