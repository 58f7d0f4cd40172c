using System.Globalization;
using System.Text.RegularExpressions;
using SandboxShared;

namespace Lab.Checker.Sql;

/// <summary>The checker's own SQL files (datasets, queries), embedded at build time from the .sql files beside each check.</summary>
public static partial class SqlResources
{
    /// <summary>The text of an embedded .sql file, by its path under the project: "Checks/BtreeIndex/dataset.sql".</summary>
    public static string Read(string path) => EmbeddedSql.Load(typeof(SqlResources).Assembly, path);

    /// <summary>
    /// The file with each {{name}} replaced by a value the checker chose (numbers, dates, identifiers it owns: never
    /// learner input).
    /// </summary>
    public static string Render(string template, IReadOnlyDictionary<string, object> values) =>
        Placeholder().Replace(template, match =>
            values.TryGetValue(match.Groups[1].Value, out var value)
                ? Convert.ToString(value, CultureInfo.InvariantCulture)!
                : throw new InvalidOperationException($"No value for {{{{{match.Groups[1].Value}}}}}."));

    public static string Read(string path, IReadOnlyDictionary<string, object> values) => Render(Read(path), values);

    [GeneratedRegex(@"\{\{(\w+)\}\}")]
    private static partial Regex Placeholder();
}
