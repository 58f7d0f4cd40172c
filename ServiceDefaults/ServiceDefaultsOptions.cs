namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What a service may add to or change in the defaults: <c>builder.AddServiceDefaults(o => o.Sources.Add("Kafka.Consumer"))</c>.
/// </summary>
public sealed class ServiceDefaultsOptions
{
    /// <summary>
    /// ActivitySource names to trace besides .NET's own (ASP.NET Core, HttpClient, Npgsql) and the service's own,
    /// which is named after the service (its application name).
    /// </summary>
    public ICollection<string> Sources { get; } = [];

    /// <summary>
    /// Meter names to collect besides .NET's own (ASP.NET Core, Kestrel, HttpClient, runtime, Npgsql) and the service's own.
    /// </summary>
    public ICollection<string> Meters { get; } = [];

    /// <summary>Timeouts and retries of every HttpClient made by IHttpClientFactory.</summary>
    public HttpClientResilienceOptions HttpClientResilience { get; } = new();
}
