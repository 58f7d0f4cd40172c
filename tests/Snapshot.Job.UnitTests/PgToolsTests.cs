using Snapshot.Job.Database;

namespace Snapshot.Job.UnitTests;

public sealed class PgToolsTests
{
    private static readonly PgTools s_15 = new("/usr/lib/postgresql/15/bin/pg_dump", "/usr/lib/postgresql/15/bin/pg_restore", 15, "15.18");
    private static readonly PgTools s_18 = new("/usr/lib/postgresql/18/bin/pg_dump", "/usr/lib/postgresql/18/bin/pg_restore", 18, "18.3");

    [Fact]
    public void The_newest_tools_are_chosen()
    {
        Assert.Same(s_18, PgTools.Choose([s_15, s_18], serverMajor: 15, "localhost:5432", "PATH"));
    }

    [Fact]
    public void Tools_older_than_the_server_are_refused_naming_what_to_install()
    {
        var exception = Assert.Throws<SnapshotConfigurationException>(() => PgTools.Choose([s_15], serverMajor: 18, "localhost:5432", "PATH"));

        Assert.StartsWith("pg_dump 15.18 (/usr/lib/postgresql/15/bin/pg_dump) is older than the PostgreSQL 18 server at localhost:5432", exception.Message, StringComparison.Ordinal);
        Assert.Contains("apt install postgresql-client-18", exception.Message, StringComparison.Ordinal);
        Assert.Contains("brew install postgresql@18", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Snapshot:PgBinDirectory", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_tools_at_all_says_where_the_job_looked()
    {
        var exception = Assert.Throws<SnapshotConfigurationException>(() => PgTools.Choose([], serverMajor: 18, "localhost:5432", "Snapshot:PgBinDirectory is /opt/pg"));

        Assert.StartsWith("pg_dump and pg_restore were not found (Snapshot:PgBinDirectory is /opt/pg)", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)", 15, "15.18")]
    [InlineData("pg_dump (PostgreSQL) 18.3", 18, "18.3")]
    [InlineData("pg_dump (PostgreSQL) 9.6.24", 9, "9.6.24")]
    public void The_pg_dump_version_is_read_from_its_banner(string banner, int major, string version)
    {
        Assert.Equal((major, version), PgTools.ParseVersion(banner));
    }
}
