using Migrator;

namespace Migrator.IntegrationTests;

/// <summary>Small catalogs made in the test, so a test can change, break or slow down a migration.</summary>
internal static class TestCatalog
{
    public const string Database = "appdb";

    public static Migration File(string fileName, string sql) => Migration.FromFile(fileName, sql);

    /// <summary>Three migrations; the first sleeps so that a concurrent run really has to wait for the lock.</summary>
    public static IReadOnlyList<Migration> ThreeTables(double firstSleepSeconds = 0) =>
    [
        File("0001_first.sql", $"CREATE TABLE first (id int PRIMARY KEY); SELECT pg_sleep({firstSleepSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)});"),
        File("0002_second.sql", "CREATE TABLE second (id int PRIMARY KEY);"),
        File("0003_third.sql", "CREATE TABLE third (id int PRIMARY KEY);"),
    ];
}
