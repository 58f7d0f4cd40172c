using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Chirp.Api.ApiKeys;
using Chirp.Api.Data;
using Chirp.Api.Errors;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Chirp.Api.Idempotency;

/// <summary>
/// Idempotency-Key on a POST: the first request with a key runs and its successful response is stored in the same
/// transaction as its change; a retry of the same request gets that response again (Idempotent-Replayed: true) and
/// changes nothing; the same key with a different request gets 422. Keys are scoped per caller. Runs inside
/// <see cref="WriteTransactionFilter"/>, whose commit makes the change and the stored response durable together.
/// </summary>
public sealed class IdempotencyFilter(IOptions<JsonOptions> jsonOptions) : IEndpointFilter
{
    private static readonly TimeSpan s_timeToLive = TimeSpan.FromHours(24);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        if (!http.Request.Headers.TryGetValue(IdempotencyKey.HeaderName, out var header))
        {
            return await next(context);
        }

        if (IdempotencyKey.Check(header) is { } problem)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [IdempotencyKey.HeaderName] = [problem] });
        }

        var key = header.ToString();
        var scope = http.User.UserIdOrNull() is { } userId ? $"user:{userId:D}" : "anonymous";
        var keyHash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        var requestHash = Fingerprint(context);
        var transaction = await http.RequestServices.GetRequiredService<WriteTransaction>().GetAsync(http.RequestAborted);

        if (await IdempotencyStore.TryClaimAsync(transaction, scope, keyHash, requestHash, s_timeToLive, http.RequestAborted))
        {
            var result = await next(context);
            if (HttpResults.IsSuccess(result))
            {
                var response = StoredResponse.Capture(result, jsonOptions.Value.SerializerOptions);
                await IdempotencyStore.CompleteAsync(
                    transaction, scope, keyHash, response.Status, ResponseSeal.Seal(key, scope, response.ToBytes()), http.RequestAborted);
            }

            return result;
        }

        var stored = await IdempotencyStore.FindAsync(transaction, scope, keyHash, http.RequestAborted);
        if (stored?.Response is null)
        {
            // Unreachable while responses are stored in the claiming transaction; kept so a surprise is a clear 409.
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "A request with this Idempotency-Key has not finished.");
        }

        if (!CryptographicOperations.FixedTimeEquals(stored.RequestHash, requestHash))
        {
            return TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                [IdempotencyKey.HeaderName] = ["was already used for a different request; use a new key for a new request."],
            })
            {
                Status = StatusCodes.Status422UnprocessableEntity,
                Title = "Idempotency-Key reused with a different request.",
            });
        }

        return StoredResponse.FromBytes(ResponseSeal.Open(key, scope, stored.Response));
    }

    /// <summary>SHA-256 of method, path and the bound JSON body (re-serialized, so formatting differences do not matter).</summary>
    private byte[] Fingerprint(EndpointFilterInvocationContext context)
    {
        var request = context.HttpContext.Request;
        var bodyType = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        var body = bodyType is null ? null : context.Arguments.FirstOrDefault(argument => argument?.GetType() == bodyType);
        var json = body is null ? "" : JsonSerializer.Serialize(body, bodyType!, jsonOptions.Value.SerializerOptions);
        return SHA256.HashData(Encoding.UTF8.GetBytes($"{request.Method}\n{request.Path}\n{json}"));
    }
}
