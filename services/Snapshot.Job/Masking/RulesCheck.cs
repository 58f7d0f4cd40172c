using Snapshot.Job.Database;

namespace Snapshot.Job.Masking;

/// <summary>
/// Compares the rules with the source's schema before anything is copied. Every column of every table must be
/// classified, so a column added by a migration stops the job until someone decides whether it holds personal data;
/// and every rule must name something that exists, so a typo cannot silently leave a column unmasked.
/// </summary>
internal static class RulesCheck
{
    /// <summary>Every mismatch, one line each; empty when the rules fit the schema.</summary>
    public static IReadOnlyList<string> Problems(SnapshotRules rules, DatabaseCatalog catalog)
    {
        var file = rules.File.DisplayName;
        if (catalog.Columns.Count == 0)
        {
            return [$"{rules.Source} has no tables at all: has the Migrator run? (dotnet run --project services/Migrator)"];
        }

        var problems = new List<string>();
        var columnsByTable = catalog.Columns.GroupBy(column => column.Table).ToDictionary(group => group.Key, group => group.ToList());

        foreach (var (table, columns) in columnsByTable)
        {
            var rule = rules.Find(table);
            if (rule is null)
            {
                problems.Add($"{table} is not classified in {file}: add it with a rule for each column, or \"truncate\": true.");
                continue;
            }

            if (rule.Truncate)
            {
                continue;
            }

            foreach (var column in columns)
            {
                var columnRule = rule.Columns.FirstOrDefault(candidate => string.Equals(candidate.Column, column.Column, StringComparison.Ordinal));
                if (columnRule is null)
                {
                    problems.Add($"{table}.{column.Column} is not classified in {file}: add it as \"keep\", a mask such as \"replace-text\", or \"null\".");
                }
                else if (Misfit(columnRule, column) is { } misfit)
                {
                    problems.Add($"{table}.{column.Column} ({column.DataType}) in {file}: {misfit}");
                }
            }

            foreach (var columnRule in rule.Columns.Where(candidate => !columns.Exists(column => string.Equals(column.Column, candidate.Column, StringComparison.Ordinal))))
            {
                problems.Add($"{file} has a rule for {table}.{columnRule.Column}, which does not exist in {rules.Source}: remove the rule or correct its name.");
            }
        }

        foreach (var rule in rules.Tables.Where(rule => !columnsByTable.ContainsKey(rule.Table)))
        {
            problems.Add($"{file} has rules for {rule.Table}, which does not exist in {rules.Source}: remove them or correct the table's name.");
        }

        var truncated = rules.TruncatedTables.ToHashSet();
        foreach (var key in catalog.ForeignKeys.Where(key => truncated.Contains(key.Referenced) && !truncated.Contains(key.Referencing)))
        {
            problems.Add($"{key.Referenced} is truncated in {file}, but {key.Referencing} keeps rows that reference it: truncate {key.Referencing} too, or copy {key.Referenced}.");
        }

        return problems;
    }

    private static string? Misfit(ColumnRule rule, ColumnInfo column)
    {
        if (rule.Mask.Kind == MaskKind.Keep)
        {
            return null;
        }

        if (column.Generated)
        {
            return "a generated column is computed from other columns, so it can only be \"keep\" (mask the columns it is computed from).";
        }

        if (rule.Mask.Kind == MaskKind.Null)
        {
            return column.NotNull ? "\"null\" needs a nullable column; this one is NOT NULL: choose a mask." : null;
        }

        return rule.Mask.Fits is { } fits && (fits & column.Family) == 0
            ? $"\"{rule.Mask.Name}\" does not fit this type; it writes {rule.Mask.Description}."
            : null;
    }
}
