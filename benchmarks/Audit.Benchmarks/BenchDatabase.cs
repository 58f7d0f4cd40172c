extern alias migrator;

using migrator::Migrator;
using Npgsql;

namespace Audit.Benchmarks;

/// <summary>A database of the benchmark's own on the sandbox's PostgreSQL server, migrated like auditdb.</summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string _maintenance;
    private readonly bool _keep;

    private BenchDatabase(string name, string connectionString, string maintenance, bool keep)
    {
        Name = name;
        ConnectionString = connectionString;
        _maintenance = maintenance;
        _keep = keep;
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.CommandTimeout = 0;
        DataSource = builder.Build();
    }

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>As the connection string's user (the superuser in native mode), not as audit_writer.</summary>
    public NpgsqlDataSource DataSource { get; }

    public NpgsqlConnectionStringBuilder Builder => new(ConnectionString);

    /// <summary>Opens <paramref name="name"/>, creating and migrating it first when it does not exist.</summary>
    public static async Task<(BenchDatabase Database, bool Created)> OpenOrCreateAsync(string auditDbConnectionString, string name, bool keep)
    {
        var maintenance = new NpgsqlConnectionStringBuilder(auditDbConnectionString) { Database = "postgres" }.ConnectionString;
        bool created;
        await using (var connection = new NpgsqlConnection(maintenance))
        {
            await connection.OpenAsync();
            await using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = $1", connection);
            exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
            created = (long)(await exists.ExecuteScalarAsync())! == 0;
            if (created)
            {
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
                await create.ExecuteNonQueryAsync();
            }
        }

        var database = new BenchDatabase(name, new NpgsqlConnectionStringBuilder(maintenance) { Database = name }.ConnectionString, maintenance, keep);
        await DatabaseMigrator.MigrateAsync(database.DataSource, "auditdb");
        await database.ExecuteAsync(Sql.Get("bench_functions.sql"));
        return (database, created);
    }

    public async Task ExecuteAsync(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        if (_keep)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_maintenance);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
