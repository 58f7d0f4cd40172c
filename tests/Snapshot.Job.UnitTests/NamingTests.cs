using System.Text;
using Snapshot.Job.Database;
using Snapshot.Job.Manifest;

namespace Snapshot.Job.UnitTests;

public sealed class NamingTests
{
    [Fact]
    public void The_work_database_is_named_after_the_source_and_the_application()
    {
        Assert.Equal("appdb_snapshot_chirp", WorkDatabase.DefaultName("appdb", "chirp"));
    }

    [Fact]
    public void A_work_database_name_too_long_for_postgresql_is_cut_and_stays_unique_and_stable()
    {
        var source = new string('s', 60);

        var first = WorkDatabase.DefaultName(source, "chirp");
        var again = WorkDatabase.DefaultName(source, "chirp");
        var other = WorkDatabase.DefaultName(source, "billing");

        Assert.True(Encoding.UTF8.GetByteCount(first) <= 63, first);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Snapshot_files_are_named_after_the_application_and_the_runs_start_in_utc()
    {
        var files = new SnapshotFiles("/tmp/out", "chirp", new DateTimeOffset(2026, 1, 2, 4, 5, 6, TimeSpan.FromHours(1)));

        Assert.Equal(Path.GetFullPath("/tmp/out/chirp-20260102T030506Z.dump"), files.Dump);
        Assert.Equal(Path.GetFullPath("/tmp/out/chirp-20260102T030506Z.manifest.json"), files.Manifest);
    }
}
