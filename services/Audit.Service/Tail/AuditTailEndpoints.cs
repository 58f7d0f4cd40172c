using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Audit.Service.Tail;

/// <summary>
/// GET /audit/tail[?actorId=…] as Server-Sent Events (text/event-stream). Events:
/// <c>subscribed</c> once the stream is live (data: {"actorId":…}); then one <c>audit</c> per stored event
/// (id: the row id; data: the same JSON as a search item); <c>overflow</c> just before the server closes a client
/// that fell more than Audit:Tail:ClientBufferSize events behind (reconnect and search to fill the gap).
/// Server-Sent Events rather than a WebSocket: the tail only flows from server to client, it is plain HTTP (proxies,
/// curl -N, the browser's EventSource with automatic reconnects), and ASP.NET Core writes it with TypedResults.
/// </summary>
internal static class AuditTailEndpoints
{
    public static RouteGroupBuilder MapAuditTail(this RouteGroupBuilder group)
    {
        group.MapGet("/tail", Tail)
            .WithName("TailAuditEvents")
            .WithSummary("Server-Sent Events: each audit event as it is stored, optionally for one actor.");
        return group;
    }

    private static Results<ServerSentEventsResult<string>, ValidationProblem> Tail(
        string? actorId,
        AuditTailHub hub,
        AuditNotificationListener listener,
        CancellationToken cancellationToken)
    {
        Guid? actor = null;
        if (!string.IsNullOrEmpty(actorId))
        {
            if (!Guid.TryParseExact(actorId, "D", out var parsed))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    [nameof(actorId)] = [$"'{(actorId.Length > 40 ? actorId[..40] + "…" : actorId)}' is not a UUID (8-4-4-4-12 hex digits)."],
                });
            }

            actor = parsed;
        }

        return TypedResults.ServerSentEvents(StreamAsync(actor, hub, listener, cancellationToken));
    }

    private static async IAsyncEnumerable<SseItem<string>> StreamAsync(
        Guid? actorId,
        AuditTailHub hub,
        AuditNotificationListener listener,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var subscription = hub.Subscribe(actorId);
        await listener.WaitUntilListeningAsync(cancellationToken);
        yield return new SseItem<string>(JsonSerializer.Serialize(new { actorId }, JsonSerializerOptions.Web), "subscribed");

        await foreach (var audit in subscription.Events.ReadAllAsync(cancellationToken))
        {
            yield return new SseItem<string>(JsonSerializer.Serialize(audit, JsonSerializerOptions.Web), "audit")
            {
                EventId = audit.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
        }

        if (subscription.Overflowed)
        {
            yield return new SseItem<string>(
                JsonSerializer.Serialize(new { reason = "The client read too slowly and missed events; reconnect, and search for the gap." }, JsonSerializerOptions.Web),
                "overflow");
        }
    }
}
