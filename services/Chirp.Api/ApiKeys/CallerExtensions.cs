using System.Security.Claims;

namespace Chirp.Api.ApiKeys;

/// <summary>Who is calling, as <see cref="ApiKeyAuthenticationHandler"/> established it.</summary>
public static class CallerExtensions
{
    public const string ApiKeyIdClaim = "api_key_id";

    /// <summary>The authenticated user's id, or null for an anonymous request.</summary>
    public static Guid? UserIdOrNull(this ClaimsPrincipal caller) =>
        Guid.TryParse(caller?.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    /// <summary>The authenticated user's id; only on endpoints that require authorization.</summary>
    public static Guid UserId(this ClaimsPrincipal caller) =>
        caller.UserIdOrNull() ?? throw new InvalidOperationException("The endpoint must require authorization to know its caller.");
}
