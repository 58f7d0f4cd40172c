namespace Migrator.IntegrationTests;

public sealed class MigrationCatalogTests
{
    [Theory]
    [InlineData("appdb")]
    [InlineData("auditdb")]
    public void Embedded_catalogs_run_from_0001_without_gaps(string database)
    {
        var catalog = MigrationCatalog.For(database);

        Assert.Equal(Enumerable.Range(1, catalog.Count), catalog.Select(migration => migration.Version));
        Assert.All(catalog, migration => Assert.Matches("^[0-9a-f]{64}$", migration.Checksum));
    }

    [Fact]
    public void Appdb_starts_with_users()
    {
        Assert.Equal("0001_users", MigrationCatalog.For("appdb")[0].Name);
    }

    [Fact]
    public void An_unknown_database_is_an_argument_error()
    {
        var error = Assert.Throws<ArgumentException>(() => MigrationCatalog.For("nosuchdb"));

        Assert.Contains("appdb", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_files_with_the_same_version_are_an_error_naming_both()
    {
        var error = Assert.Throws<MigrationException>(() => MigrationCatalog.Ordered("appdb",
        [
            Migration.FromFile("0001_a.sql", "SELECT 1;"),
            Migration.FromFile("0002_from_main.sql", "SELECT 2;"),
            Migration.FromFile("0002_from_branch.sql", "SELECT 3;"),
        ]));

        Assert.Contains("0002_from_branch", error.Message, StringComparison.Ordinal);
        Assert.Contains("0002_from_main", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gap_in_the_versions_is_an_error()
    {
        var error = Assert.Throws<MigrationException>(() => MigrationCatalog.Ordered("appdb",
        [
            Migration.FromFile("0001_a.sql", "SELECT 1;"),
            Migration.FromFile("0003_c.sql", "SELECT 3;"),
        ]));

        Assert.Contains("0002", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1_short.sql")]
    [InlineData("0001-dash.sql")]
    [InlineData("0001_Upper.sql")]
    [InlineData("0001_users.txt")]
    public void A_badly_named_file_is_an_error_naming_it(string fileName)
    {
        var error = Assert.Throws<MigrationException>(() => Migration.FromFile(fileName, "SELECT 1;"));

        Assert.Contains(fileName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_checksum_ignores_the_line_ending_style()
    {
        Assert.Equal(
            Migration.FromFile("0001_a.sql", "SELECT 1;\nSELECT 2;\n").Checksum,
            Migration.FromFile("0001_a.sql", "SELECT 1;\r\nSELECT 2;\r\n").Checksum);
    }
}
