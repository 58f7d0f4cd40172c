using System.Globalization;

namespace Migrator.IntegrationTests;

/// <summary>Migration files written by a test into a directory of its own, so it can change, break or slow down a migration.</summary>
internal sealed class MigrationDirectory : IDisposable
{
    private MigrationDirectory(string path) => Path = path;

    public string Path { get; }

    /// <summary>What <see cref="DatabaseMigrator"/> is given to run these files instead of the embedded ones.</summary>
    public MigrationOptions Options => new() { Directory = Path };

    public static MigrationDirectory With(params (string FileName, string Sql)[] files)
    {
        var directory = new MigrationDirectory(Directory.CreateTempSubdirectory("migrator-test-").FullName);
        foreach (var (fileName, sql) in files)
        {
            directory.Write(fileName, sql);
        }

        return directory;
    }

    /// <summary>Three migrations; the first sleeps so that a concurrent run really has to wait for the lock.</summary>
    public static MigrationDirectory ThreeTables(double firstSleepSeconds = 0) => With(
        ("V0001_first.sql", string.Create(CultureInfo.InvariantCulture, $"CREATE TABLE first (id int PRIMARY KEY); SELECT pg_sleep({firstSleepSeconds});")),
        ("V0002_second.sql", "CREATE TABLE second (id int PRIMARY KEY);"),
        ("V0003_third.sql", "CREATE TABLE third (id int PRIMARY KEY);"));

    public void Write(string fileName, string sql) => File.WriteAllText(System.IO.Path.Combine(Path, fileName), sql);

    public void Delete(string fileName) => File.Delete(System.IO.Path.Combine(Path, fileName));

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
