using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The service's own ActivitySource and Meter, both named after the service (its application name) and already
/// traced and collected by AddServiceDefaults. Inject it to start spans and create instruments.
/// </summary>
public sealed class ServiceTelemetry : IDisposable
{
    /// <summary>Creates the source and, through <paramref name="meterFactory"/>, the meter named <paramref name="name"/>.</summary>
    public ServiceTelemetry(string name, IMeterFactory meterFactory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(meterFactory);

        Name = name;
        ActivitySource = new ActivitySource(name);
        Meter = meterFactory.Create(name);
    }

    /// <summary>The service's name: the name of both the source and the meter.</summary>
    public string Name { get; }

    /// <summary>Starts the service's own spans.</summary>
    public ActivitySource ActivitySource { get; }

    /// <summary>Creates the service's own instruments; the meter factory owns and disposes it.</summary>
    public Meter Meter { get; }

    /// <inheritdoc />
    public void Dispose() => ActivitySource.Dispose();
}
