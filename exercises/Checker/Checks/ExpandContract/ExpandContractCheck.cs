using Lab.Checker.Sql;
using Lab.Checker.Verification;
using Npgsql;

namespace Lab.Checker.Checks.ExpandContract;

/// <summary>
/// 09: users.display_name becomes users.name while versions N (display_name) and N+1 (name) both serve. The learner
/// writes four migration steps; the checker applies them in the order of a rolling update and a rollback while both
/// versions' queries run, and fails on any error of either version, any read that disagrees with the last acknowledged
/// write, any write lost, a lock that stalls the traffic (measured against a full read of the table), and a table that
/// does not end up as N+1 needs it. On two datasets.
/// </summary>
public sealed class ExpandContractCheck : IExerciseCheck
{
    public static readonly string[] Files = ["1-expand.sql", "2-backfill.sql", "3-switch.sql", "4-contract.sql"];

    /// <summary>
    /// A step stalls the service when a query waits for its lock this many times longer than a full read of the table
    /// takes, and for <see cref="StallShare"/> of the step or more: one lock held through the step, not many short ones.
    /// </summary>
    public const double StallFactor = 10;

    public const double StallShare = 0.4;

    public static readonly Scenario Visible = new(
        new Dataset("lab09_data", "the users table (100,000 users)", "Checks/ExpandContract/users_source.sql", new Dictionary<string, object>
        {
            ["rows"] = 100_000,
            ["first_id"] = 1,
            ["id_step"] = 1,
            ["seed"] = 7,
        }),
        "lab09",
        "First dataset");

    public static readonly Scenario Hidden = new(
        new Dataset("lab09_hidden_data", "a second users table (60,000 users, ids from 5,000,000 in steps of 7)", "Checks/ExpandContract/users_source.sql", new Dictionary<string, object>
        {
            ["rows"] = 60_000,
            ["first_id"] = 5_000_000,
            ["id_step"] = 7,
            ["seed"] = 13,
        }),
        "lab09_hidden",
        "Second dataset");

    public string Id => "expand-contract";

    public async Task<CheckResult> VerifyAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, (string Sql, string DisplayPath)>(StringComparer.Ordinal);
        foreach (var file in Files)
        {
            var sql = context.ReadFile(file);
            var displayPath = context.DisplayPath(file);
            if (LearnerSql.SchemaQualification(sql) is { } qualified)
            {
                return CheckResult.Fail(LearnerSql.QualifiedNameFailure(displayPath, qualified));
            }

            files[file] = (sql, displayPath);
        }

        await Task.WhenAll(
            Visible.Data.EnsureAsync(context.Infrastructure, context.Status, cancellationToken),
            Hidden.Data.EnsureAsync(context.Infrastructure, context.Status, cancellationToken));

        var seed = Math.Abs(context.RunId.GetHashCode(StringComparison.Ordinal)) % 100_000;
        var first = await new RollingUpdate(context, Visible, files, seed).RunAsync(cancellationToken);
        if (RolloutVerdict.Failure(first) is { } failure)
        {
            return CheckResult.Fail(failure);
        }

        var second = await new RollingUpdate(context, Hidden, files, seed + 7).RunAsync(cancellationToken);
        if (RolloutVerdict.Failure(second) is { } secondFailure)
        {
            return CheckResult.Fail(new Report()
                .Failure("Your steps work on the first dataset, but not on the second one.")
                .Line($"  The checker also runs them on {Hidden.Data.Description}.")
                .Blank()
                .Append(secondFailure));
        }

        return CheckResult.Pass(RolloutVerdict.Passed(first, second));
    }

    public async Task<string> ResetAsync(CheckContext context, CancellationToken cancellationToken)
    {
        await using var connection = await context.Infrastructure.LabDb.OpenConnectionAsync(cancellationToken);
        foreach (var scenario in new[] { Visible, Hidden })
        {
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {scenario.Schema} CASCADE", connection);
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }

        return "Schemas lab09 and lab09_hidden are gone; verify rebuilds the users table from the generated data (kept in lab09_data).";
    }

    /// <summary>One dataset: its pristine data, the schema of the live table, how the verdict names it.</summary>
    public sealed record Scenario(Dataset Data, string Schema, string Label);
}
