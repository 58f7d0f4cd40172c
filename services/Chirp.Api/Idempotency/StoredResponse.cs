using System.Text.Json;
using Chirp.Api.Errors;

namespace Chirp.Api.Idempotency;

/// <summary>A response as kept for replay: status, Location and the JSON body exactly as first sent.</summary>
public sealed record StoredResponse(int Status, string? Location, string? Body) : IResult, IStatusCodeHttpResult
{
    public const string ReplayedHeader = "Idempotent-Replayed";

    int? IStatusCodeHttpResult.StatusCode => Status;

    /// <summary>Captures a handler's result, serialized with the same options the response itself uses.</summary>
    public static StoredResponse Capture(object? result, JsonSerializerOptions json)
    {
        var inner = HttpResults.Unwrap(result);
        var status = HttpResults.StatusCode(inner) ?? StatusCodes.Status200OK;
        var value = (inner as IValueHttpResult)?.Value;
        // Created<T> and Accepted<T> expose Location as a property, not through an interface.
        var location = inner?.GetType().GetProperty("Location")?.GetValue(inner) as string;
        return new StoredResponse(status, location, value is null ? null : JsonSerializer.Serialize(value, value.GetType(), json));
    }

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this);

    public static StoredResponse FromBytes(byte[] bytes) =>
        JsonSerializer.Deserialize<StoredResponse>(bytes) ?? throw new JsonException("An empty stored response.");

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = Status;
        response.Headers[ReplayedHeader] = "true";
        if (Location is not null)
        {
            response.Headers.Location = Location;
        }

        if (Body is not null)
        {
            response.ContentType = "application/json; charset=utf-8";
            await response.WriteAsync(Body, httpContext.RequestAborted);
        }
    }
}
