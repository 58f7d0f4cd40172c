using System.Globalization;
using Audit.Service.Search;

namespace Audit.Benchmarks;

/// <summary>
/// One kind of search, drawn at random the same way for the service path (a filter) and for pgbench (script variables),
/// over the generated log: actors 1..A, resources 0..rows/2, days of the log's year.
/// </summary>
internal sealed record SearchShape(string Name, bool Actor, bool Resource, string? Action, int? Days)
{
    public static IReadOnlyList<SearchShape> All { get; } =
    [
        new("actor", Actor: true, Resource: false, Action: null, Days: null),
        new("actor + 7 days", Actor: true, Resource: false, Action: null, Days: 7),
        new("resource", Actor: false, Resource: true, Action: null, Days: null),
        new("action (10% of rows)", Actor: false, Resource: false, Action: "chirp.deleted", Days: null),
        new("action (0.1% of rows)", Actor: false, Resource: false, Action: "apikey.revoked", Days: null),
        new("time range (1 day)", Actor: false, Resource: false, Action: null, Days: 1),
    ];

    public const int Limit = 50;

    public AuditSearchFilter Draw(Random random, SearchSpace space)
    {
        var from = Days is { } days ? space.Start.AddDays(random.Next(0, space.Days - days)) : (DateTimeOffset?)null;
        return new AuditSearchFilter(
            Actor ? BenchIds.Of(BenchIds.Actor, random.Next(1, space.Actors + 1)) : null,
            Resource ? "chirp" : null,
            Resource ? BenchIds.Of(BenchIds.Resource, random.NextInt64(0, space.Rows / 2)) : null,
            Action,
            from,
            from?.AddDays(Days!.Value),
            Limit,
            Cursor: null);
    }

    /// <summary>The service's search statement with this shape's values as pgbench variables and the absent ones as NULL.</summary>
    public string PgbenchScript(string searchSql, SearchSpace space)
    {
        var lines = new List<string>();
        if (Actor)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"\\set actor random(1, {space.Actors})"));
        }

        if (Resource)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"\\set resource random(0, {space.Rows / 2 - 1})"));
        }

        if (Days is { } days)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"\\set from {space.Start.ToUnixTimeSeconds()} + random(0, {space.Days - days - 1}) * 86400"));
        }

        var statement = string.Join(' ', searchSql.Split('\n').Where(line => !line.TrimStart().StartsWith("--", StringComparison.Ordinal)).Select(line => line.Trim()));
        var values = new Dictionary<string, string>
        {
            ["$1"] = Actor ? "bench_uuid(1, :actor)" : "NULL",
            ["$2"] = Resource ? "'chirp'" : "NULL",
            ["$3"] = Resource ? "bench_uuid(3, :resource)" : "NULL",
            ["$4"] = Action is null ? "NULL" : $"'{Action}'",
            ["$5"] = Days is null ? "NULL" : "to_timestamp(:from)",
            ["$6"] = Days is { } d ? string.Create(CultureInfo.InvariantCulture, $"to_timestamp(:from + {d * 86400})") : "NULL",
            ["$7"] = "NULL",
            ["$8"] = "NULL",
            ["$9"] = (Limit + 1).ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (parameter, value) in values)
        {
            statement = statement.Replace(parameter, value, StringComparison.Ordinal);
        }

        lines.Add(statement);
        return string.Join('\n', lines) + "\n";
    }
}

/// <summary>What the generated log spans.</summary>
internal sealed record SearchSpace(long Rows, int Actors, DateTimeOffset Start, int Days);
