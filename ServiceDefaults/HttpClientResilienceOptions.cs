namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Timeouts and retries applied to every HttpClient made by IHttpClientFactory. The defaults are those of
/// Microsoft.Extensions.Http.Resilience's standard handler: 30 s in all, 10 s per attempt, 3 retries from 2 s up.
/// </summary>
public sealed class HttpClientResilienceOptions
{
    /// <summary>The whole call, every attempt and every wait between them included.</summary>
    /// <remarks>HttpClient.Timeout (100 s unless a client sets it) still applies on top of this.</remarks>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>One attempt; an attempt that takes longer is cancelled and, if the method is idempotent, retried.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after the first attempt, for idempotent methods only (GET, HEAD, OPTIONS, PUT, DELETE, TRACE).</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The first wait before a retry; it doubles each time, with jitter.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait before a retry, also for a server's Retry-After.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);
}
