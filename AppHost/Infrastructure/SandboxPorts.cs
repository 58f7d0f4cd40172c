using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;

/// <summary>
/// The fixed host ports of Sandbox:Ports (appsettings.json; Sandbox__Ports__Postgres=15432 to change one), so psql,
/// redis-cli and kcat find the servers in every mode. 0 or nothing means a free port chosen at start.
/// </summary>
internal sealed class SandboxPorts(IConfiguration configuration)
{
    private readonly IConfigurationSection _section = configuration.GetSection("Sandbox:Ports");

    public int? Postgres => Port("Postgres");

    public int? Redis => Port("Redis");

    public int? Kafka => Port("Kafka");

    public int? KafkaControl => Port("KafkaControl");

    /// <summary>The fixed ports something else already listens on, each with the setting that moves it.</summary>
    public static IEnumerable<string> Taken(params (string Setting, int? Port)[] ports) =>
        ports.Where(port => port.Port is { } number && InUse(number))
            .Select(port => $"port {port.Port} ({port.Setting}) is in use by another program: stop it, or choose another port with " +
                $"dotnet run --project AppHost -- --Sandbox:Ports:{port.Setting}=<port>");

    private int? Port(string name) => _section.GetValue<int?>(name) is > 0 and var port ? port : null;

    private static bool InUse(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }
}
