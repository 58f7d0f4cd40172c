using System.Security.Claims;
using Chirp.Api.ApiKeys;
using Chirp.Api.Data;
using Chirp.Api.Errors;
using Chirp.Api.Idempotency;
using Chirp.Api.Outbox;
using Chirp.Api.Timelines;
using Npgsql;

namespace Chirp.Api.Chirps;

/// <summary>POST /chirps, GET /chirps/{id}, DELETE /chirps/{id} and an author's timeline, GET /users/{id}/chirps.</summary>
public static class ChirpEndpoints
{
    public static IEndpointRouteBuilder MapChirpEndpoints(this IEndpointRouteBuilder app)
    {
        var chirps = app.MapGroup("/chirps").WithTags("Chirps");

        chirps.MapPost("/", CreateAsync)
            .RequireAuthorization()
            .AddEndpointFilter<WriteTransactionFilter>()
            .AddEndpointFilter<IdempotencyFilter>()
            .WithName("CreateChirp")
            .WithSummary("Chirps as the calling user.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        chirps.MapGet("/{id}", GetAsync)
            .WithName("GetChirp")
            .WithSummary("One chirp.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        chirps.MapDelete("/{id}", DeleteAsync)
            .RequireAuthorization()
            .AddEndpointFilter<WriteTransactionFilter>()
            .WithName("DeleteChirp")
            .WithSummary("Deletes one of the calling user's chirps.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGet("/users/{id}/chirps", TimelineAsync)
            .WithTags("Chirps")
            .WithName("GetTimeline")
            .WithSummary("A user's chirps, newest first, in pages (keyset pagination: pass nextCursor as ?after=).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Created<ChirpResponse>, ValidationProblem>> CreateAsync(
        CreateChirpRequest request,
        ClaimsPrincipal caller,
        WriteTransaction write,
        OutboxWriter outbox,
        TimelineCache timelines,
        CancellationToken cancellationToken)
    {
        if (ChirpValidation.Validate(request) is { } invalid)
        {
            return invalid;
        }

        var authorId = caller.UserId();
        var chirp = await ChirpStore.InsertAsync(await write.GetAsync(cancellationToken), authorId, request.Body!, cancellationToken);
        await outbox.AddAsync(DomainEvents.ForChirpCreated(chirp), cancellationToken);
        write.AfterCommit(token => timelines.InvalidateAsync(authorId, token));
        return TypedResults.Created($"/chirps/{chirp.Id}", chirp);
    }

    public static async Task<Results<Ok<ChirpResponse>, ProblemHttpResult>> GetAsync(
        Guid id, NpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
        await ChirpStore.FindAsync(dataSource, id, cancellationToken) is { } chirp
            ? TypedResults.Ok(chirp)
            : Problems.NotFound("No chirp has this id.");

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id,
        ClaimsPrincipal caller,
        WriteTransaction write,
        OutboxWriter outbox,
        TimelineCache timelines,
        CancellationToken cancellationToken)
    {
        var callerId = caller.UserId();
        var transaction = await write.GetAsync(cancellationToken);
        if (await ChirpStore.DeleteOwnAsync(transaction, id, callerId, cancellationToken) is not { } deletedAt)
        {
            return await ChirpStore.FindAuthorAsync(transaction, id, cancellationToken) is null
                ? Problems.NotFound("No chirp has this id.")
                : Problems.Forbidden("You can only delete your own chirps.");
        }

        await outbox.AddAsync(DomainEvents.ForChirpDeleted(callerId, id, deletedAt), cancellationToken);
        write.AfterCommit(token => timelines.InvalidateAsync(callerId, token));
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<TimelinePage>, ValidationProblem, ProblemHttpResult>> TimelineAsync(
        Guid id, int? limit, string? after, TimelineReader reader, CancellationToken cancellationToken)
    {
        if (ChirpValidation.ValidateTimelineQuery(limit, after, out var cursor) is { } invalid)
        {
            return invalid;
        }

        return await reader.ReadAsync(id, limit ?? TimelineReader.DefaultLimit, cursor, cancellationToken) is { } page
            ? TypedResults.Ok(page)
            : Problems.NotFound("No user has this id.");
    }
}
