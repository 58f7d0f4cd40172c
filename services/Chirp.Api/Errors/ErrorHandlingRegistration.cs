using Microsoft.AspNetCore.Http.Json;

namespace Chirp.Api.Errors;

public static class ErrorHandlingRegistration
{
    /// <summary>RFC 9457 problem details for every error, and request-binding failures as 400s naming the field.</summary>
    public static IHostApplicationBuilder AddErrorHandling(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        // By default (outside Development) a binding failure is an empty 400; thrown, it reaches ProblemExceptionHandler,
        // which names the field.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.Configure<JsonOptions>(options => options.SerializerOptions.MaxDepth = 16);
        return builder;
    }
}
