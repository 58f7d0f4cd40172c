namespace Migrator.IntegrationTests;

/// <summary>The migration files and their names: what Evolve would skip or refuse, caught before it runs, naming the file.</summary>
public sealed class MigrationFilesTests
{
    [Theory]
    [InlineData("appdb")]
    [InlineData("auditdb")]
    public void The_embedded_files_are_numbered_from_0001_without_gaps(string database)
    {
        var names = MigrationFiles.For(database);

        Assert.Equal(
            Enumerable.Range(1, names.Count).Select(version => version.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)),
            names.Select(name => MigrationFiles.VersionOf(name)));
    }

    [Fact]
    public void Appdb_starts_with_users_and_names_carry_neither_prefix_nor_suffix()
    {
        Assert.Equal("0001_users", MigrationFiles.For("appdb")[0]);
        Assert.Equal("V0001_users.sql", MigrationFiles.FileNameOf("0001_users"));
        Assert.Equal("0001_users", MigrationFiles.NameOf("V0001_users.sql"));
    }

    [Fact]
    public void An_unknown_database_is_an_argument_error()
    {
        var error = Assert.Throws<ArgumentException>(() => MigrationFiles.For("nosuchdb"));

        Assert.Contains("appdb", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_files_with_the_same_version_are_an_error_naming_both()
    {
        using var files = MigrationDirectory.With(
            ("V0001_a.sql", "SELECT 1;"),
            ("V0002_from_main.sql", "SELECT 2;"),
            ("V0002_from_branch.sql", "SELECT 3;"));

        var error = Assert.Throws<MigrationException>(() => MigrationFiles.InDirectory("appdb", files.Path));

        Assert.Contains("V0002_from_branch.sql and V0002_from_main.sql share version 0002", error.Message, StringComparison.Ordinal);
        Assert.Contains("renumber", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0001_old_style.sql")]
    [InlineData("V1_short.sql")]
    [InlineData("V0001__double.sql")]
    [InlineData("V0001_Upper.sql")]
    [InlineData("R__repeatable.sql")]
    public void A_badly_named_file_is_an_error_naming_it(string fileName)
    {
        using var files = MigrationDirectory.With(("V0001_a.sql", "SELECT 1;"), (fileName, "SELECT 2;"));

        var error = Assert.Throws<MigrationException>(() => MigrationFiles.InDirectory("appdb", files.Path));

        Assert.Contains(fileName, error.Message, StringComparison.Ordinal);
        Assert.Contains("Evolve would skip it", error.Message, StringComparison.Ordinal);
    }
}
