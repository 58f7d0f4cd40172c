using Microsoft.AspNetCore.Authentication;

namespace Chirp.Api.ApiKeys;

public static class ApiKeyRegistration
{
    /// <summary>API keys as the only authentication scheme; endpoints opt in with RequireAuthorization().</summary>
    public static IHostApplicationBuilder AddApiKeyAuthentication(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, configureOptions: null);
        builder.Services.AddAuthorization();
        return builder;
    }
}
