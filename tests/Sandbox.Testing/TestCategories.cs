namespace Sandbox.Testing;

/// <summary>Trait values scripts/test schedules by (<c>[Trait("Category", ...)]</c>).</summary>
public static class TestCategories
{
    /// <summary>
    /// Takes a shared server down (a Kafka outage): scripts/test runs these alone, after every other test,
    /// so no test of another assembly sees the outage.
    /// </summary>
    public const string Outage = "Outage";
}
