using System.Globalization;
using System.Text.RegularExpressions;
using Audit.Service.Ingestion;

namespace Audit.Service.Search;

/// <summary>A validated search: every filter optional, a page size, and where the previous page ended.</summary>
internal sealed partial record AuditSearchFilter(
    Guid? ActorId,
    string? ResourceType,
    Guid? ResourceId,
    string? Action,
    DateTimeOffset? From,
    DateTimeOffset? To,
    int Limit,
    SearchCursor? Cursor)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    /// <summary>Checks the raw query values; each problem is reported under the name of its query parameter.</summary>
    public static bool TryCreate(
        string? actorId,
        string? resourceType,
        string? resourceId,
        string? action,
        string? from,
        string? to,
        string? limit,
        string? cursor,
        out AuditSearchFilter? filter,
        out Dictionary<string, string[]> errors)
    {
        errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var actor = ParseUuid(nameof(actorId), actorId, errors);
        var resource = ParseUuid(nameof(resourceId), resourceId, errors);
        var type = ParseText(nameof(resourceType), resourceType, errors);
        var act = ParseText(nameof(action), action, errors);
        var fromTime = ParseTime(nameof(from), from, errors);
        var toTime = ParseTime(nameof(to), to, errors);
        if (fromTime > toTime)
        {
            errors[nameof(from)] = [$"'from' ({from}) is after 'to' ({to})."];
        }

        var size = DefaultLimit;
        if (!string.IsNullOrEmpty(limit)
            && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size < 1 || size > MaxLimit))
        {
            errors[nameof(limit)] = [$"'{Shorten(limit)}' is not a whole number from 1 to {MaxLimit}."];
        }

        SearchCursor? position = null;
        if (!string.IsNullOrEmpty(cursor) && !SearchCursor.TryDecode(cursor, out position))
        {
            errors[nameof(cursor)] = ["Not a cursor this service issued: pass the nextCursor of the previous page unchanged."];
        }

        filter = errors.Count == 0 ? new AuditSearchFilter(actor, type, resource, act, fromTime, toTime, size, position) : null;
        return filter is not null;
    }

    /// <summary>Which index the search should use, for telemetry and the benchmark.</summary>
    public string Shape =>
        ActorId is not null ? "actor"
        : ResourceId is not null ? "resource"
        : Action is not null ? "action"
        : ResourceType is not null ? "resource-type"
        : "time";

    private static Guid? ParseUuid(string name, string? value, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (Guid.TryParseExact(value, "D", out var guid))
        {
            return guid;
        }

        errors[name] = [$"'{Shorten(value)}' is not a UUID (8-4-4-4-12 hex digits)."];
        return null;
    }

    private static string? ParseText(string name, string? value, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (value.Length > AuditEventParser.MaxTextLength || value.Contains('\0', StringComparison.Ordinal))
        {
            errors[name] = [$"Must be at most {AuditEventParser.MaxTextLength} characters, without NUL."];
            return null;
        }

        return value;
    }

    private static DateTimeOffset? ParseTime(string name, string? value, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        // An unencoded '+' in a query string arrives as a space: read "…12:00:00 01:00" as "…12:00:00+01:00".
        value = SpaceBeforeOffset().Replace(value, "+$1");
        if (ExplicitOffset().IsMatch(value)
            && DateTimeOffset.TryParseExact(value, s_timeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time.ToUniversalTime();
        }

        errors[name] = [$"'{Shorten(value)}' is not an ISO 8601 time with an offset, e.g. 2026-11-21T12:00:00Z or 2026-11-21T13:00:00+01:00."];
        return null;
    }

    private static readonly string[] s_timeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mmK",
    ];

    [GeneratedRegex(@" (\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex SpaceBeforeOffset();

    // "K" also accepts no offset at all (then the server's zone is guessed); a search bound must say its offset.
    [GeneratedRegex(@"(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex ExplicitOffset();

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");
}
