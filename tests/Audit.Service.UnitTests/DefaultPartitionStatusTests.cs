using Audit.Service.Partitions;

namespace Audit.Service.UnitTests;

public sealed class DefaultPartitionStatusTests
{
    private static DefaultPartitionReport Rows(long count) => new(new Dictionary<string, long> { ["2019-03"] = count });

    [Fact]
    public void A_read_that_started_earlier_but_finished_later_does_not_overwrite_a_newer_one()
    {
        var status = new DefaultPartitionStatus();
        var beforeTheStray = status.TakeTicket();
        var afterTheStray = status.TakeTicket();

        status.Update(Rows(1), afterTheStray);
        status.Update(DefaultPartitionReport.Empty, beforeTheStray);

        Assert.Equal(1, status.Current.Rows);
    }

    [Fact]
    public void Reads_in_order_each_replace_the_report()
    {
        var status = new DefaultPartitionStatus();

        status.Update(Rows(2), status.TakeTicket());
        status.Update(DefaultPartitionReport.Empty, status.TakeTicket());

        Assert.Equal(0, status.Current.Rows);
    }
}
