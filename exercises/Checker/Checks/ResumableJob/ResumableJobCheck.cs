using Lab.Checker.CSharp;
using Lab.Checker.Verification;
using Npgsql;

namespace Lab.Checker.Checks.ResumableJob;

/// <summary>
/// 07: the learner's masking step of a snapshot job. The checker runs it in its own process four times on a work copy:
/// killed in the middle of a batch, killed just as a batch commits, left to finish, and run once more. Passes when,
/// on both datasets, every email ends up masked exactly once and the extra run changed nothing.
/// </summary>
public sealed class ResumableJobCheck : IExerciseCheck
{
    public const string LearnerFile = "MaskingStep.cs";

    public static readonly MaskingScenario Visible = MaskingScenario.Create(
        "lab07_data", "lab07", "the shop's customers and orders (25,000 customers, 75,000 orders)",
        customers: 25_000, orders: 75_000, firstId: 1, idStep: 1, lookalikeEvery: 0, seed: 107);

    public static readonly MaskingScenario Hidden = MaskingScenario.Create(
        "lab07_hidden_data", "lab07_hidden", "a second shop (9,000 customers, sparse ids; 300 signed up with addresses that look like pseudonyms)",
        customers: 9_000, orders: 20_000, firstId: 1_000_003, idStep: 7, lookalikeEvery: 30, seed: 207);

    public string Id => "resumable-job";

    public async Task<CheckResult> VerifyAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var (learner, failure) = LearnerAssembly.Load(context);
        if (failure is not null)
        {
            return failure;
        }

        byte[] image;
        using (learner)
        {
            if (StepHost.FindRun(learner!.Assembly) is null)
            {
                return CheckResult.Fail(new Report()
                    .Failure($"{context.DisplayPath(LearnerFile)} must keep the method the checker calls, in public static class {StepHost.TypeName}:")
                    .Evidence(["public static async Task RunAsync(NpgsqlDataSource work, CancellationToken cancellationToken)"], 4)
                    .Line("  Change what it does, not its shape."));
            }

            image = learner.Image;
        }

        await Task.WhenAll(
            Visible.Source.EnsureAsync(context.Infrastructure, context.Status, cancellationToken),
            Hidden.Source.EnsureAsync(context.Infrastructure, context.Status, cancellationToken));

        using var assemblyFile = await LearnerAssemblyFile.WriteAsync(context, image, cancellationToken);
        var first = await RunScenarioAsync(context, assemblyFile.AssemblyPath, Visible, "First dataset", cancellationToken);
        if (!first.Passed)
        {
            return CheckResult.Fail(first.Report);
        }

        var second = await RunScenarioAsync(context, assemblyFile.AssemblyPath, Hidden, "Second dataset", cancellationToken);
        if (!second.Passed)
        {
            return CheckResult.Fail(new Report()
                .Failure("Your step works on the first dataset, but not on the second one.")
                .Line($"  The checker also runs it on {Hidden.Source.Description}.")
                .Blank()
                .Append(second.Report));
        }

        return CheckResult.Pass(MaskingVerdict.Passed(first, second));
    }

    public async Task<string> ResetAsync(CheckContext context, CancellationToken cancellationToken)
    {
        await using var connection = await context.Infrastructure.LabDb.OpenConnectionAsync(cancellationToken);
        foreach (var scenario in new[] { Visible, Hidden })
        {
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {scenario.Schema} CASCADE", connection);
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }

        return "Schemas lab07 and lab07_hidden are gone; verify rebuilds the work copies from the generated data (kept in lab07_data).";
    }

    private static async Task<ScenarioResult> RunScenarioAsync(
        CheckContext context, string assemblyPath, MaskingScenario scenario, string label, CancellationToken cancellationToken)
    {
        context.Status($"{label}: copying {scenario.Source.Description} into {scenario.Schema}...");
        await using var copy = await WorkCopy.CreateAsync(context.Infrastructure, scenario, cancellationToken);
        var runs = await new CrashRuns(context, assemblyPath, scenario, copy).RunAsync(label, cancellationToken);
        return await MaskingVerdict.JudgeAsync(scenario, runs, copy, cancellationToken);
    }
}
