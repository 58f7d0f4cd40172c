using Chirp.Api.ApiKeys;
using Chirp.Api.Data;
using Chirp.Api.Errors;
using Chirp.Api.Idempotency;
using Chirp.Api.Outbox;
using Npgsql;

namespace Chirp.Api.Users;

/// <summary>POST /users (sign up: the user and a first API key) and GET /users/{id}.</summary>
public static class UserEndpoints
{
    public static IEndpointRouteBuilder MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/users").WithTags("Users");

        users.MapPost("/", CreateAsync)
            .AddEndpointFilter<WriteTransactionFilter>()
            .AddEndpointFilter<IdempotencyFilter>()
            .WithName("CreateUser")
            .WithSummary("Signs up a user and returns their first API key, shown only in this response.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        users.MapGet("/{id}", GetAsync)
            .WithName("GetUser")
            .WithSummary("A user's public profile.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Created<CreatedUserResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateUserRequest request, WriteTransaction write, OutboxWriter outbox, CancellationToken cancellationToken)
    {
        if (UserValidation.Validate(request) is { } invalid)
        {
            return invalid;
        }

        var transaction = await write.GetAsync(cancellationToken);
        UserResponse user;
        try
        {
            user = await UserStore.InsertAsync(transaction, Guid.CreateVersion7(), request, cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // The unique indexes decide, so two concurrent sign-ups with one handle cannot both win.
            return ex.ConstraintName == "users_email_key"
                ? Problems.Conflict("email", "is already registered.")
                : Problems.Conflict("handle", "is already taken.");
        }

        var secret = ApiKeySecret.Generate();
        var key = await ApiKeyStore.InsertAsync(transaction, user.Id, secret, cancellationToken);
        await outbox.AddAsync(DomainEvents.ForUserCreated(user), cancellationToken);
        await outbox.AddAsync(DomainEvents.ForApiKeyCreated(key), cancellationToken);
        return TypedResults.Created(
            $"/users/{user.Id}",
            new CreatedUserResponse(user, request.Email!, new NewApiKeyResponse(key.Id, key.Prefix, secret.Key, key.CreatedAt)));
    }

    public static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> GetAsync(
        Guid id, NpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
        await UserStore.FindAsync(dataSource, id, cancellationToken) is { } user
            ? TypedResults.Ok(user)
            : Problems.NotFound("No user has this id.");
}
