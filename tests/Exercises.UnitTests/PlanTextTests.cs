using Lab.Checker.Sql;

namespace Exercises.UnitTests;

public sealed class PlanTextTests
{
    private const string Plan = """
        [{"Plan": {"Node Type": "Limit", "Actual Rows": 50, "Actual Loops": 1, "Plans": [
          {"Node Type": "Index Scan", "Scan Direction": "Backward", "Index Name": "audit_events_actor_idx", "Relation Name": "audit_events",
           "Actual Rows": 50, "Actual Loops": 1, "Index Cond": "(actor_id = 4242)", "Shared Hit Blocks": 4, "Shared Read Blocks": 1}]},
          "Planning Time": 0.1, "Execution Time": 0.05}]
        """;

    [Fact]
    public void Renders_a_plan_like_postgresql_text_format()
    {
        var lines = PlanText.Lines(ExplainResult.Parse(Plan), buffers: true);

        Assert.Equal(
            [
                "Limit  (rows=50)",
                "  ->  Index Scan Backward using audit_events_actor_idx on audit_events  (rows=50)",
                "        Index Cond: (actor_id = 4242)",
                "        Buffers: shared hit=4 read=1",
            ],
            lines);
    }

    [Fact]
    public void Reads_scans_sorts_and_the_tables_read()
    {
        var plan = ExplainResult.Parse(Plan);

        Assert.False(plan.HasSort);
        Assert.Equal(["audit_events"], plan.TablesRead);
        Assert.Equal(0.05, plan.ExecutionMilliseconds);
        Assert.Equal(5, plan.Scans.Single().SharedBuffers);
    }

    [Theory]
    [InlineData(3165.4, "3,165x")]
    [InlineData(21.2, "21x")]
    [InlineData(4.25, "4.3x")]
    public void Ratios_read_as_people_say_them(double ratio, string expected)
    {
        Assert.Equal(expected, PlanText.Ratio(ratio));
    }
}
