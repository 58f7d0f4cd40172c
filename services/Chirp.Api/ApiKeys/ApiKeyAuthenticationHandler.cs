using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Chirp.Api.ApiKeys;

/// <summary>
/// Authenticates "Authorization: Bearer &lt;key&gt;" or "X-Api-Key: &lt;key&gt;": finds the key by its prefix, compares
/// SHA-256 hashes in constant time, refuses revoked keys. The principal carries the user id and the key id.
/// A missing or bad key gets a 401 problem saying which.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    NpgsqlDataSource dataSource,
    IProblemDetailsService problemDetails)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string ApiKeyHeader = "X-Api-Key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedKey(Request);
        if (presented is null)
        {
            return AuthenticateResult.NoResult();
        }

        var prefix = ApiKeySecret.PrefixOf(presented);
        if (prefix is null)
        {
            return AuthenticateResult.Fail("The API key is malformed.");
        }

        var credential = await ApiKeyStore.FindCredentialAsync(dataSource, prefix, Context.RequestAborted);
        if (credential is null || !ApiKeySecret.Matches(presented, credential.KeyHash))
        {
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        if (credential.RevokedAt is not null)
        {
            return AuthenticateResult.Fail("The API key has been revoked.");
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, credential.UserId.ToString()),
                new Claim(CallerExtensions.ApiKeyIdClaim, credential.Id.ToString()),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = result.Failure?.Message ?? "An API key is required.",
                Detail = $"Send a key of the acting user as 'Authorization: Bearer <key>' or '{ApiKeyHeader}: <key>'.",
            },
        });
    }

    private static string? PresentedKey(HttpRequest request)
    {
        string? authorization = request.Headers.Authorization;
        if (authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        string? header = request.Headers[ApiKeyHeader];
        return string.IsNullOrWhiteSpace(header) ? null : header.Trim();
    }
}
