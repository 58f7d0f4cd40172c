using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sandbox.Testing;

namespace AppHost.IntegrationTests;

/// <summary>
/// The whole system as `dotnet run --project AppHost` brings it up on a machine without a container engine (native
/// mode), once for the tests of <see cref="NativeSystem"/>: its own PostgreSQL data directory and free ports, so it runs beside scripts/infra's
/// servers; every service exports its telemetry to an OTLP receiver in the test.
/// </summary>
public sealed class NativeSystemFixture : IAsyncLifetime
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromMinutes(4);
    private static readonly string[] s_resources = ["postgres", "redis", "kafka", "migrator", "chirp-api", "audit-service"];

    private readonly string _dataDirectory = Path.Combine(OperatingSystem.IsWindows() ? Path.GetTempPath() : "/var/tmp", $"backend-sandbox-apphost-test-{Guid.NewGuid():N}");
    private DistributedApplication? _app;

    public ResourceLogs Logs { get; } = new();

    public OtlpReceiver Telemetry { get; private set; } = null!;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The AppHost has not started.");

    public async ValueTask InitializeAsync()
    {
        Telemetry = await OtlpReceiver.StartAsync();
        string[] args =
        [
            "--infra", "native",
            "--Sandbox:Ports:Postgres=0",
            "--Sandbox:Ports:Redis=0",
            "--Sandbox:Ports:Kafka=0",
            "--Sandbox:Ports:KafkaControl=0",
            $"--Sandbox:Native:DataDirectory={_dataDirectory}",
        ];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(args);
        builder.Services.AddLogging(logging => logging.AddProvider(Logs));

        // Aspire points every project at a dashboard's OTLP endpoint even when the test host runs none; an exporter to a
        // dead endpoint stalls each exiting process (the migrator) by ~15 s. The receiver takes it all instead.
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            builder.CreateResourceBuilder(project)
                .WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", Telemetry.Endpoint.ToString().TrimEnd('/'))
                .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        }

        _app = await builder.BuildAsync();
        using var timeout = new CancellationTokenSource(s_startTimeout);
        try
        {
            await _app.StartAsync(timeout.Token);
            await _app.ResourceNotifications.WaitForResourceAsync("migrator", KnownResourceStates.Finished, timeout.Token);
            await _app.ResourceNotifications.WaitForResourceHealthyAsync("chirp-api", timeout.Token);
            await _app.ResourceNotifications.WaitForResourceHealthyAsync("audit-service", timeout.Token);
        }
        catch (Exception ex)
        {
            var logs = string.Join(Environment.NewLine, s_resources.Select(resource => $"--- {resource}:{Environment.NewLine}{Logs.Tail(resource, lines: 15)}"));
            throw new InvalidOperationException($"The AppHost did not bring the system up ({ex.Message}). The resources' last lines:{Environment.NewLine}{logs}", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        await Telemetry.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
