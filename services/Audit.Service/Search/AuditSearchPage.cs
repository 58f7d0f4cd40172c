using Audit.Service.Api;

namespace Audit.Service.Search;

/// <summary>One page of search results, newest first; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record AuditSearchPage(IReadOnlyList<AuditEventResponse> Items, string? NextCursor);
