using System.Diagnostics;
using System.Text.RegularExpressions;
using Lab.Checker.Infrastructure;
using Lab.Checker.Verification;
using Npgsql;

namespace Lab.Checker.Sql;

/// <summary>
/// The outcome of running a learner's SQL file: how many statements did something (BEGIN and COMMIT alone do
/// not count), how long it took, and the first error.
/// </summary>
public sealed record LearnerSqlResult(int Statements, TimeSpan Elapsed, string? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>
/// Runs a learner's SQL file statement by statement on a connection of its own (so a SET in the file cannot change
/// how the checker measures), with the exercise's schema as search_path: the same file runs against each dataset.
/// </summary>
public static partial class LearnerSql
{
    public static async Task<LearnerSqlResult> RunAsync(
        LabInfrastructure infrastructure, string displayPath, string sql, string schema, CancellationToken cancellationToken)
    {
        var statements = SqlScript.Split(sql);
        var substantive = statements.Count(statement => !TransactionControl().IsMatch(statement.Text));
        var builder = new NpgsqlConnectionStringBuilder(infrastructure.LabDbConnectionString("lab-learner-sql", schema)) { IncludeErrorDetail = true };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var timeout = new NpgsqlCommand("SET statement_timeout = '5min'", connection))
        {
            await timeout.ExecuteNonQueryAsync(cancellationToken);
        }

        var stopwatch = Stopwatch.StartNew();
        foreach (var statement in statements)
        {
            try
            {
                await using var command = new NpgsqlCommand(statement.Text, connection) { CommandTimeout = 0 };
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException ex)
            {
                var line = ex.Position > 0 ? statement.LineOf(ex.Position) : statement.Line;
                var message = $"{displayPath}:{line}: ERROR: {ex.MessageText}";
                if (!string.IsNullOrEmpty(ex.Detail))
                {
                    message += $"\n  DETAIL: {ex.Detail}";
                }

                if (!string.IsNullOrEmpty(ex.Hint))
                {
                    message += $"\n  HINT: {ex.Hint}";
                }

                return new LearnerSqlResult(substantive, stopwatch.Elapsed, message);
            }
        }

        return new LearnerSqlResult(substantive, stopwatch.Elapsed, null);
    }

    /// <summary>
    /// A schema-qualified name of an exercise schema (lab01.audit_events) would make the file act on one dataset only.
    /// </summary>
    public static string? SchemaQualification(string sql)
    {
        var match = QualifiedName().Match(SqlScript.WithoutComments(sql));
        return match.Success ? match.Value : null;
    }

    /// <summary>The failure for a file that names an exercise schema.</summary>
    public static Report QualifiedNameFailure(string displayPath, string name) =>
        new Report()
            .Failure($"{displayPath} names a schema ({name}).")
            .Line("  Write table names without a schema: the checker runs your file once per dataset, each in its")
            .Line("  own schema, by setting search_path. A schema in the file would point every run at one dataset.");

    [GeneratedRegex(@"^\s*(BEGIN|START\s+TRANSACTION|COMMIT|END|ROLLBACK)\b[\s\w]*$", RegexOptions.IgnoreCase)]
    private static partial Regex TransactionControl();

    [GeneratedRegex(@"\blab\d\d\w*\s*\.\s*\w+", RegexOptions.IgnoreCase)]
    private static partial Regex QualifiedName();
}
