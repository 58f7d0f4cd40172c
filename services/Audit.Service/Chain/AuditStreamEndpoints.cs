using Microsoft.AspNetCore.Http.HttpResults;

namespace Audit.Service.Chain;

internal static class AuditStreamEndpoints
{
    /// <summary>GET /audit/streams/{actorId}/verify</summary>
    public static RouteGroupBuilder MapAuditStreams(this RouteGroupBuilder group)
    {
        group.MapGet("/streams/{actorId}/verify", VerifyAsync)
            .WithName("VerifyAuditStream")
            .WithSummary("Recomputes an actor's hash chain and names the first broken link.");
        return group;
    }

    private static async Task<Results<Ok<ChainVerification>, ValidationProblem, ProblemHttpResult>> VerifyAsync(
        string actorId,
        AuditChainVerifier verifier,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParseExact(actorId, "D", out var actor))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [nameof(actorId)] = [$"'{(actorId.Length > 40 ? actorId[..40] + "…" : actorId)}' is not a UUID (8-4-4-4-12 hex digits)."],
            });
        }

        var verification = await verifier.VerifyAsync(actor, cancellationToken);
        return verification is null
            ? TypedResults.Problem($"No audit stream for actor {actor}.", statusCode: StatusCodes.Status404NotFound, title: "Unknown actor")
            : TypedResults.Ok(verification);
    }
}
