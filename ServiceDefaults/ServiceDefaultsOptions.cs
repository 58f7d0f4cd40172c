namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What a service may add to the defaults: <c>builder.AddServiceDefaults(o => o.Sources.Add("Kafka.Consumer"))</c>.
/// </summary>
public sealed class ServiceDefaultsOptions
{
    /// <summary>
    /// ActivitySource names to trace besides the instrumented ones (ASP.NET Core, HttpClient, Npgsql) and the service's own,
    /// which is named after the service (its application name).
    /// </summary>
    public ICollection<string> Sources { get; } = [];

    /// <summary>
    /// Meter names to collect besides the instrumented ones (ASP.NET Core, Kestrel, HttpClient, runtime, Npgsql) and the
    /// service's own.
    /// </summary>
    public ICollection<string> Meters { get; } = [];
}
