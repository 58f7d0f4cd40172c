using Lab.Checker.Verification;
using Npgsql;

namespace Lab.Checker.Sql;

/// <summary>
/// A schema the learner's file may change as it likes, rebuilt before every run from a generated dataset that stays
/// pristine, for the checker to compare with.
/// </summary>
public static class WorkingCopy
{
    /// <summary>Generates <paramref name="source"/> if needed, then runs <paramref name="script"/> with {{schema}} and {{source}} filled in.</summary>
    public static async Task RebuildAsync(CheckContext context, Dataset source, string schema, string script, CancellationToken cancellationToken)
    {
        await source.EnsureAsync(context.Infrastructure, context.Status, cancellationToken);
        await using var connection = new NpgsqlConnection(context.Infrastructure.LabDbConnectionString("lab-checker"));
        await connection.OpenAsync(cancellationToken);
        var rebuild = SqlResources.Read(script, new Dictionary<string, object>
        {
            ["schema"] = schema,
            ["source"] = source.Schema,
        });
        foreach (var statement in SqlScript.Split(rebuild))
        {
            await using var command = new NpgsqlCommand(statement.Text, connection) { CommandTimeout = 0 };
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
