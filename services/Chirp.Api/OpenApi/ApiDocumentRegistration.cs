namespace Chirp.Api.OpenApi;

public static class ApiDocumentRegistration
{
    public const string DocumentPath = "/openapi/v1.json";

    public static IHostApplicationBuilder AddApiDocument(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Chirp API";
                document.Info.Description = "Users, chirps and API keys. Every write publishes an event to Kafka (chirp.events) through an outbox.";
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer<ApiKeySecuritySchemeTransformer>();
            options.AddOperationTransformer<ApiKeySecuritySchemeTransformer>();
        });
        return builder;
    }

    /// <summary>The OpenAPI document at /openapi/v1.json and a browsable UI for it at /docs.</summary>
    public static WebApplication MapApiDocument(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapOpenApi(DocumentPath);
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint(DocumentPath, "Chirp API v1");
            options.RoutePrefix = "docs";
            options.DocumentTitle = "Chirp API";
        });
        app.MapGet("/", () => TypedResults.Redirect("/docs")).ExcludeFromDescription();
        return app;
    }
}
