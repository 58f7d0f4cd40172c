using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Snapshot.Job.Masking;

/// <summary>
/// Reads a rules file (JSON; comments and trailing commas allowed). Every problem found is reported at once, each naming
/// the table or column it is about, so one edit fixes them all.
/// </summary>
internal static partial class RulesFile
{
    private const int MinLength = 4;
    private const int MaxLength = 64;

    private static readonly JsonSerializerOptions s_options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <exception cref="SnapshotConfigurationException">The file cannot be read or is not valid rules.</exception>
    public static SnapshotRules Load(string path, string displayName)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SnapshotConfigurationException($"Cannot read the rules file {displayName} ({path}): {ex.Message}");
        }

        return Parse(bytes, new RulesFileInfo(path, displayName, Convert.ToHexStringLower(SHA256.HashData(bytes))));
    }

    public static SnapshotRules Parse(byte[] json, RulesFileInfo file)
    {
        RulesDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<RulesDocument>(json, s_options);
        }
        catch (JsonException ex)
        {
            throw new SnapshotConfigurationException($"{file.DisplayName} is not a valid rules file: {ex.Message}");
        }

        var problems = new List<string>();
        if (document is null)
        {
            throw new SnapshotConfigurationException($"{file.DisplayName} is empty.");
        }

        Require(document.Application, "application", problems);
        if (document.Application is { Length: > 0 } application && !ApplicationPattern().IsMatch(application))
        {
            problems.Add($"\"application\" names the snapshot files and the work database: 1 to 40 letters, digits, '-' or '_', not \"{application}\".");
        }

        Require(document.Source, "source", problems);
        if (document.Version is null or < 1)
        {
            problems.Add("\"version\" must be a whole number from 1 up; raise it whenever the rules change.");
        }

        var tables = new List<TableRule>();
        foreach (var (name, table) in document.Tables ?? [])
        {
            if (!TableName.TryParse(name, out var tableName))
            {
                problems.Add($"\"{name}\" is not a table name like \"public.users\" (schema, a dot, the table).");
                continue;
            }

            tables.Add(ParseTable(tableName, table, problems));
        }

        if (tables.Count == 0)
        {
            problems.Add("\"tables\" lists no table.");
        }

        if (problems.Count > 0)
        {
            throw new SnapshotConfigurationException(
                $"{file.DisplayName} has {problems.Count} problem(s):{Environment.NewLine}  " + string.Join($"{Environment.NewLine}  ", problems));
        }

        return new SnapshotRules(document.Application!, document.Version!.Value, document.Source!, tables, file);
    }

    private static TableRule ParseTable(TableName table, TableDocument document, List<string> problems)
    {
        var columns = new List<ColumnRule>();
        if (document.Truncate)
        {
            if (document.Columns is { Count: > 0 })
            {
                problems.Add($"{table}: a truncated table copies no rows, so its \"columns\" would never apply: remove them.");
            }

            return new TableRule(table, Truncate: true, columns);
        }

        if (document.Columns is null or { Count: 0 })
        {
            problems.Add($"{table}: give a rule for each column under \"columns\", or \"truncate\": true to copy no rows.");
            return new TableRule(table, Truncate: false, columns);
        }

        foreach (var (column, value) in document.Columns)
        {
            if (ParseColumn($"{table}.{column}", column, value, problems) is { } rule)
            {
                columns.Add(rule);
            }
        }

        return new TableRule(table, Truncate: false, columns);
    }

    /// <summary>A column's rule is a mask's name, or an object <c>{ "mask": ..., "prefix": ..., "length": ... }</c>.</summary>
    private static ColumnRule? ParseColumn(string where, string column, JsonElement value, List<string> problems)
    {
        string? maskName = null;
        string? prefix = null;
        int? length = null;
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                maskName = value.GetString();
                break;
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    switch (property.Name)
                    {
                        case "mask" when property.Value.ValueKind == JsonValueKind.String:
                            maskName = property.Value.GetString();
                            break;
                        case "prefix" when property.Value.ValueKind == JsonValueKind.String:
                            prefix = property.Value.GetString();
                            break;
                        case "length" when property.Value.TryGetInt32(out var number):
                            length = number;
                            break;
                        default:
                            problems.Add($"{where}: unknown or mistyped property \"{property.Name}\" (a rule has \"mask\", and \"prefix\" and \"length\" for pseudonym and random-token).");
                            return null;
                    }
                }

                break;
            default:
                problems.Add($"{where}: a rule is a mask's name (\"keep\") or an object with \"mask\".");
                return null;
        }

        var mask = maskName is null ? null : Masks.Find(maskName);
        if (mask is null)
        {
            problems.Add($"{where}: unknown mask \"{maskName}\"; the masks are: {Masks.Names}.");
            return null;
        }

        var takesParameters = mask.Kind is MaskKind.Pseudonym or MaskKind.RandomToken;
        if (!takesParameters && (prefix is not null || length is not null))
        {
            problems.Add($"{where}: \"{mask.Name}\" takes no \"prefix\" or \"length\".");
            return null;
        }

        if (length is < MinLength or > MaxLength)
        {
            problems.Add($"{where}: \"length\" (hex digits) must be from {MinLength} to {MaxLength}.");
            return null;
        }

        return new ColumnRule(column, mask, prefix ?? "", length ?? (mask.Kind == MaskKind.RandomToken ? 32 : 16));
    }

    private static void Require(string? value, string property, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add($"\"{property}\" is required.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,40}$")]
    private static partial Regex ApplicationPattern();

    private sealed class RulesDocument
    {
        public string? Application { get; set; }

        public int? Version { get; set; }

        public string? Source { get; set; }

        public Dictionary<string, TableDocument>? Tables { get; set; }
    }

    private sealed class TableDocument
    {
        public bool Truncate { get; set; }

        /// <summary>Why the table is truncated or masked as it is; for the people who read the file.</summary>
        public string? Reason { get; set; }

        public Dictionary<string, JsonElement>? Columns { get; set; }
    }
}
