using Lab.Checker.Verification;

namespace Lab.Checker.Sql;

/// <summary>
/// The start every SQL check shares: the learner's file, refused if it names an exercise schema (the checker runs it
/// once per dataset, each in its own schema), then the visible and the hidden dataset made ready at the same time.
/// </summary>
/// <param name="Failure">Null when the file can run; otherwise what the learner is told.</param>
public sealed record LearnerSqlPreparation(string Sql, string DisplayPath, Report? Failure)
{
    /// <summary>Reads the file and, unless it is refused, runs <paramref name="prepare"/> on both scenarios at once.</summary>
    public static async Task<LearnerSqlPreparation> PrepareAsync<TScenario>(
        CheckContext context, string learnerFile, TScenario visible, TScenario hidden, Func<TScenario, Task> prepare)
    {
        var sql = context.ReadFile(learnerFile);
        var displayPath = context.DisplayPath(learnerFile);
        if (LearnerSql.SchemaQualification(sql) is { } qualified)
        {
            return new LearnerSqlPreparation(sql, displayPath, LearnerSql.QualifiedNameFailure(displayPath, qualified));
        }

        await Task.WhenAll(prepare(visible), prepare(hidden));
        return new LearnerSqlPreparation(sql, displayPath, null);
    }

    /// <summary>
    /// For a file that runs on the generated datasets themselves: generates them if needed, then <paramref name="reset"/>
    /// removes what an earlier run of the file added.
    /// </summary>
    public static async Task<LearnerSqlPreparation> PrepareAsync(
        CheckContext context, string learnerFile, SqlScenario visible, SqlScenario hidden, Func<Task> reset, CancellationToken cancellationToken)
    {
        var prepared = await PrepareAsync(
            context, learnerFile, visible, hidden, scenario => scenario.Dataset.EnsureAsync(context.Infrastructure, context.Status, cancellationToken));
        if (prepared.Failure is null)
        {
            await reset();
        }

        return prepared;
    }
}
