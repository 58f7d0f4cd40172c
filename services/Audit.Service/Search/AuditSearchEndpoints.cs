using Microsoft.AspNetCore.Http.HttpResults;

namespace Audit.Service.Search;

internal static class AuditSearchEndpoints
{
    /// <summary>GET /audit/events?actorId=&amp;resourceType=&amp;resourceId=&amp;action=&amp;from=&amp;to=&amp;limit=&amp;cursor=</summary>
    public static RouteGroupBuilder MapAuditSearch(this RouteGroupBuilder group)
    {
        group.MapGet("/events", SearchAsync)
            .WithName("SearchAuditEvents")
            .WithSummary("Audit events, newest first, filtered by any combination of actor, resource, action and time range.");
        return group;
    }

    private static async Task<Results<Ok<AuditSearchPage>, ValidationProblem>> SearchAsync(
        string? actorId,
        string? resourceType,
        string? resourceId,
        string? action,
        string? from,
        string? to,
        string? limit,
        string? cursor,
        AuditEventSearch search,
        CancellationToken cancellationToken)
    {
        if (!AuditSearchFilter.TryCreate(actorId, resourceType, resourceId, action, from, to, limit, cursor, out var filter, out var errors))
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(await search.SearchAsync(filter!, cancellationToken));
    }
}
