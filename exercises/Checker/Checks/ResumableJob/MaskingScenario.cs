using Lab.Checker.Sql;

namespace Lab.Checker.Checks.ResumableJob;

/// <summary>
/// One dataset exercise 07's step runs on: the generated source (kept between runs), the work copy the step masks
/// (rebuilt every verify), and where the checker's two crash points fall, counted in emails masked within a run.
/// </summary>
/// <param name="Source">The production data, generated once.</param>
/// <param name="Schema">The work copy: the search_path of the step's connections.</param>
/// <param name="Customers">Rows in customers.</param>
/// <param name="Orders">Rows in orders.</param>
/// <param name="SleepAt">Run 1 hangs at this email, in the middle of a batch, and is killed there.</param>
/// <param name="ArmAt">Run 2 dies as soon as the transaction that masked this email has committed.</param>
public sealed record MaskingScenario(Dataset Source, string Schema, int Customers, int Orders, long SleepAt, long ArmAt)
{
    public int Rows => Customers + Orders;

    public static MaskingScenario Create(
        string source, string schema, string description, int customers, int orders, long firstId, int idStep, int lookalikeEvery, int seed)
    {
        var dataset = new Dataset(source, description, "Checks/ResumableJob/source_data.sql", new Dictionary<string, object>
        {
            ["customers"] = customers,
            ["orders"] = orders,
            ["first_id"] = firstId,
            ["id_step"] = idStep,
            ["lookalike_every"] = lookalikeEvery,
            ["seed"] = seed,
        });

        // Run 1 is killed in the middle of a batch, 40% into customers; run 2 after a commit, well into orders, whether
        // the step resumed (it has 60% of customers left) or started over.
        var sleepAt = (customers * 2 / 5) + 500;
        var armAt = customers + (orders / 5) + 500;
        return new MaskingScenario(dataset, schema, customers, orders, sleepAt, armAt);
    }
}
