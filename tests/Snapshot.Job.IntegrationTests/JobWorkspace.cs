using System.Text.Json;
using Npgsql;
using Snapshot.Job.Manifest;

namespace Snapshot.Job.IntegrationTests;

/// <summary>
/// One test's own output directory and work database name, so tests can run the job side by side on the same source;
/// on dispose, whatever a run left (the work database of a failed run, the files) is removed.
/// </summary>
internal sealed class JobWorkspace : IAsyncDisposable
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);
    private readonly string _maintenanceConnectionString;

    public JobWorkspace(string sourceConnectionString)
    {
        SourceConnectionString = sourceConnectionString;
        var id = Guid.NewGuid().ToString("N");
        WorkDatabase = $"test_snapwork_{id}";
        OutputDirectory = Path.Combine(Path.GetTempPath(), "snapshot-job-tests", id);
        _maintenanceConnectionString = new NpgsqlConnectionStringBuilder(sourceConnectionString) { Database = "postgres" }.ConnectionString;
    }

    public string SourceConnectionString { get; }

    public string WorkDatabase { get; }

    public string OutputDirectory { get; }

    /// <summary>The environment of a run: this workspace, short retry delays, and <paramref name="extra"/> settings.</summary>
    public Dictionary<string, string> Settings(string? connectionString = null, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ConnectionStrings__appdb"] = connectionString ?? SourceConnectionString,
            ["Snapshot__OutputDirectory"] = OutputDirectory,
            ["Snapshot__WorkDatabase"] = WorkDatabase,
            ["Snapshot__Retry__BaseDelay"] = "00:00:00.200",
            ["Snapshot__Retry__MaxDelay"] = "00:00:02",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    public Task<JobResult> RunAsync(params (string Key, string Value)[] extra) => JobProcess.RunAsync(Settings(connectionString: null, extra));

    public async Task<bool> WorkDatabaseExistsAsync()
    {
        await using var connection = new NpgsqlConnection(_maintenanceConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = WorkDatabase });
        return (bool)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    public string WorkConnectionString => new NpgsqlConnectionStringBuilder(SourceConnectionString) { Database = WorkDatabase }.ConnectionString;

    public IReadOnlyList<string> Files() =>
        Directory.Exists(OutputDirectory) ? [.. Directory.GetFiles(OutputDirectory).Select(path => Path.GetFileName(path))] : [];

    /// <summary>The one manifest the run wrote, read back.</summary>
    public SnapshotManifest Manifest()
    {
        var path = Assert.Single(Directory.GetFiles(OutputDirectory, "*.manifest.json"));
        return JsonSerializer.Deserialize<SnapshotManifest>(File.ReadAllBytes(path), s_json)!;
    }

    public string DumpPath => Path.Combine(OutputDirectory, Manifest().Dump);

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using (var connection = new NpgsqlConnection(_maintenanceConnectionString))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{WorkDatabase}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }

        if (Directory.Exists(OutputDirectory))
        {
            Directory.Delete(OutputDirectory, recursive: true);
        }
    }
}
