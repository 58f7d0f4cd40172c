using Polly;

namespace ServiceDefaults;

/// <summary>Runs each HttpClient call through the resilience pipeline; a retried response is disposed by the pipeline.</summary>
internal sealed class HttpResilienceHandler(ResiliencePipeline<HttpResponseMessage> pipeline) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not null && HttpClientResiliencePipeline.IsIdempotent(request.Method))
        {
            // A retry sends the same content again, which a stream can only do once it is buffered.
            await request.Content.LoadIntoBufferAsync(cancellationToken);
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(HttpClientResiliencePipeline.RequestKey, request);
        try
        {
            return await pipeline.ExecuteAsync(
                static (attemptContext, state) => state.Handler.SendAttemptAsync(state.Request, attemptContext.CancellationToken),
                context,
                (Handler: this, Request: request));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async ValueTask<HttpResponseMessage> SendAttemptAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        await base.SendAsync(request, cancellationToken);
}
