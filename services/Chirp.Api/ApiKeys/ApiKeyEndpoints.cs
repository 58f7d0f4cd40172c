using System.Security.Claims;
using Chirp.Api.Data;
using Chirp.Api.Errors;
using Chirp.Api.Idempotency;
using Chirp.Api.Outbox;

namespace Chirp.Api.ApiKeys;

/// <summary>POST /users/{id}/api-keys and DELETE /users/{id}/api-keys/{keyId}: a user manages their own keys.</summary>
public static class ApiKeyEndpoints
{
    public static IEndpointRouteBuilder MapApiKeyEndpoints(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/users/{id}/api-keys")
            .WithTags("API keys")
            .RequireAuthorization()
            .AddEndpointFilter<WriteTransactionFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        keys.MapPost("/", CreateAsync)
            .AddEndpointFilter<IdempotencyFilter>()
            .WithName("CreateApiKey")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Creates another API key for the calling user; the key is shown only in this response.");
        keys.MapDelete("/{keyId}", RevokeAsync)
            .WithName("RevokeApiKey")
            .WithSummary("Revokes one of the calling user's keys (any key, including the one making the request).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Created<NewApiKeyResponse>, ProblemHttpResult>> CreateAsync(
        Guid id, ClaimsPrincipal caller, WriteTransaction write, OutboxWriter outbox, CancellationToken cancellationToken)
    {
        if (caller.UserId() != id)
        {
            return Problems.Forbidden("You can only create API keys for yourself.");
        }

        var secret = ApiKeySecret.Generate();
        var key = await ApiKeyStore.InsertAsync(await write.GetAsync(cancellationToken), id, secret, cancellationToken);
        await outbox.AddAsync(DomainEvents.ForApiKeyCreated(key), cancellationToken);
        return TypedResults.Created($"/users/{id}/api-keys/{key.Id}", new NewApiKeyResponse(key.Id, key.Prefix, secret.Key, key.CreatedAt));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        Guid id, Guid keyId, ClaimsPrincipal caller, WriteTransaction write, OutboxWriter outbox, CancellationToken cancellationToken)
    {
        if (caller.UserId() != id)
        {
            return Problems.Forbidden("You can only revoke your own API keys.");
        }

        var transaction = await write.GetAsync(cancellationToken);
        var revoked = await ApiKeyStore.RevokeAsync(transaction, id, keyId, cancellationToken);
        if (revoked is not null)
        {
            await outbox.AddAsync(DomainEvents.ForApiKeyRevoked(revoked), cancellationToken);
            return TypedResults.NoContent();
        }

        // Revoking twice is fine (and emits one event); a key this user never had is not.
        return await ApiKeyStore.FindAsync(transaction, id, keyId, cancellationToken) is null
            ? Problems.NotFound("You have no API key with this id.")
            : TypedResults.NoContent();
    }
}
