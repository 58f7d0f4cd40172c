using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace ServiceDefaults;

/// <summary>
/// The Polly pipeline every HttpClient call runs through: a total timeout, then retries with exponential backoff and jitter
/// (idempotent methods only, transient failures only), then a timeout per attempt.
/// Stands in for Microsoft.Extensions.Http.Resilience's standard handler, which the package feed lacks.
/// </summary>
internal static partial class HttpClientResiliencePipeline
{
    public static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("ServiceDefaults.HttpRequest");

    private static readonly HashSet<HttpMethod> IdempotentMethods =
        [HttpMethod.Get, HttpMethod.Head, HttpMethod.Options, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Trace];

    public static ResiliencePipeline<HttpResponseMessage> Build(HttpClientResilienceOptions options, ILogger logger)
    {
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>().AddTimeout(options.TotalTimeout);

        if (options.MaxRetryAttempts > 0)
        {
            pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = arguments => ValueTask.FromResult(
                    arguments.Context.Properties.TryGetValue(RequestKey, out var request)
                    && IsIdempotent(request.Method)
                    && IsTransient(arguments.Outcome)),
                DelayGenerator = arguments => ValueTask.FromResult(RetryAfter(arguments.Outcome.Result, options.MaxDelay)),
                OnRetry = arguments =>
                {
                    if (arguments.Context.Properties.TryGetValue(RequestKey, out var request))
                    {
                        LogRetry(
                            logger,
                            request.Method,
                            request.RequestUri?.GetLeftPart(UriPartial.Path),
                            arguments.AttemptNumber + 1,
                            Describe(arguments.Outcome),
                            arguments.RetryDelay.TotalMilliseconds);
                    }

                    return default;
                },
            });
        }

        return pipeline.AddTimeout(options.AttemptTimeout).Build();
    }

    /// <summary>Methods that mean the same when sent twice: only these are retried (never POST or PATCH).</summary>
    public static bool IsIdempotent(HttpMethod method) => IdempotentMethods.Contains(method);

    /// <summary>A failure that may not happen again: no connection, an attempt timed out, 408, 429, or 5xx but 501.</summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => IsTransient(response.StatusCode),
        _ => false,
    };

    private static bool IsTransient(HttpStatusCode statusCode) =>
        statusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
        || ((int)statusCode >= 500 && statusCode != HttpStatusCode.NotImplemented);

    /// <summary>The server's Retry-After, if it sent one, capped at <paramref name="maxDelay"/>; else null (the backoff decides).</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan maxDelay)
    {
        var retryAfter = response?.Headers.RetryAfter;
        var delay = retryAfter?.Delta ?? (retryAfter?.Date - DateTimeOffset.UtcNow);
        return delay is { } wait ? TimeSpan.FromTicks(Math.Clamp(wait.Ticks, 0, maxDelay.Ticks)) : null;
    }

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } exception ? exception.GetType().Name : $"{(int)outcome.Result!.StatusCode} {outcome.Result.StatusCode}";

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "{Method} {Uri} failed on attempt {Attempt} ({Outcome}); retrying in {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, HttpMethod method, string? uri, int attempt, string outcome, double delayMs);
}
