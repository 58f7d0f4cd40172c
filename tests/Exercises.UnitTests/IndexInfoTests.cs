using Lab.Checker.Sql;

namespace Exercises.UnitTests;

/// <summary>How an index is described and whether its order serves ORDER BY ... DESC: the NULLS placement counts.</summary>
public sealed class IndexInfoTests
{
    [Theory]
    [InlineData(false, false, "(actor_id, occurred_at)", true)]
    [InlineData(true, true, "(actor_id, occurred_at DESC)", true)]
    [InlineData(true, false, "(actor_id, occurred_at DESC NULLS LAST)", false)]
    [InlineData(false, true, "(actor_id, occurred_at NULLS FIRST)", false)]
    public void The_second_column_is_described_with_its_order_and_judged_against_DESC(bool descending, bool nullsFirst, string columns, bool serves)
    {
        var index = new IndexInfo("i", "btree", "CREATE INDEX i ...", false, ["actor_id", "occurred_at"], [false, descending], [], null, 0, 0)
        {
            NullsFirst = [false, nullsFirst],
        };

        Assert.Equal($"i {columns}", index.Describe());
        Assert.Equal(serves, index.ServesOrder(1, descending: true));
    }

    [Theory]
    [InlineData("actor_id", true)]
    [InlineData("(actor_id + 0)", false)]
    [InlineData("lower(action)", false)]
    public void An_expression_is_not_a_plain_column(string key, bool plain)
    {
        var index = new IndexInfo("i", "btree", "CREATE INDEX i ...", false, [key], [false], [], null, 0, 0);

        Assert.Equal(plain, index.IsPlainColumn(0));
    }
}
