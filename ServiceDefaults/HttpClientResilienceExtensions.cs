using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;

namespace ServiceDefaults;

/// <summary>Every HttpClient made by IHttpClientFactory gets the timeouts and retries of <see cref="HttpClientResilienceOptions"/>.</summary>
internal static class HttpClientResilienceExtensions
{
    private const string PipelineKey = "ServiceDefaults.HttpClientResilience";

    public static void AddDefaultHttpClientResilience(this IHostApplicationBuilder builder, HttpClientResilienceOptions options)
    {
        builder.Services.TryAddKeyedSingleton(PipelineKey, (services, _) => HttpClientResiliencePipeline.Build(
            options,
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HttpClientResiliencePipeline).FullName!)));

        builder.Services.ConfigureHttpClientDefaults(http => http.AddHttpMessageHandler(services =>
            new HttpResilienceHandler(services.GetRequiredKeyedService<ResiliencePipeline<HttpResponseMessage>>(PipelineKey))));
    }
}
