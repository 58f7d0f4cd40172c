using System.Globalization;

namespace KafkaMockCluster;

/// <summary>The command line: where to write the bootstrap servers, and which topics to create up front.</summary>
internal sealed record LauncherOptions(
    string? BootstrapFile,
    string? ControlFile,
    int? BootstrapPort,
    int ControlPort,
    IReadOnlyList<(string Name, int Partitions)> Topics)
{
    public const string Usage = """
        usage: KafkaMockCluster [--bootstrap-port PORT] [--control-port PORT] [--bootstrap-file PATH] [--control-file PATH]
                                [--topic NAME:PARTITIONS]...
          Starts a 3-broker Kafka-protocol cluster (librdkafka's mock) on 127.0.0.1 and prints its bootstrap servers:
          the brokers' own addresses, or 127.0.0.1:PORT with --bootstrap-port (a fixed address forwarded to broker 1).
          A control port on 127.0.0.1 (--control-port, else any free one; its address printed and written to
          --control-file) takes one command a line:
          'create-topic NAME PARTITIONS', 'delete-topic NAME', 'brokers down', 'brokers up', 'ping'.
          SIGUSR1 takes every broker down, SIGUSR2 brings them back; SIGTERM or SIGINT stops the cluster.
        """;

    public static bool TryParse(string[] args, out LauncherOptions options, out string error)
    {
        string? bootstrapFile = null;
        string? controlFile = null;
        int? bootstrapPort = null;
        var controlPort = 0;
        var topics = new List<(string, int)>();
        options = new LauncherOptions(null, null, null, 0, topics);
        error = "";

        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--bootstrap-file" when value is not null:
                    bootstrapFile = value;
                    i++;
                    break;
                case "--control-file" when value is not null:
                    controlFile = value;
                    i++;
                    break;
                case "--bootstrap-port" when value is not null:
                    if (!TryParsePort(value, out var port))
                    {
                        error = $"--bootstrap-port expects a port number (1-65535), got '{value}'";
                        return false;
                    }
                    bootstrapPort = port;
                    i++;
                    break;
                case "--control-port" when value is not null:
                    if (!TryParsePort(value, out controlPort))
                    {
                        error = $"--control-port expects a port number (1-65535), got '{value}'";
                        return false;
                    }
                    i++;
                    break;
                case "--topic" when value is not null:
                    if (!TryParseTopic(value, out var topic))
                    {
                        error = $"--topic expects NAME:PARTITIONS with PARTITIONS >= 1, got '{value}'";
                        return false;
                    }
                    topics.Add(topic);
                    i++;
                    break;
                default:
                    error = $"unknown or incomplete option '{args[i]}'";
                    return false;
            }
        }

        options = new LauncherOptions(bootstrapFile, controlFile, bootstrapPort, controlPort, topics);
        return true;
    }

    private static bool TryParsePort(string value, out int port) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;

    private static bool TryParseTopic(string value, out (string Name, int Partitions) topic)
    {
        var separator = value.LastIndexOf(':');
        topic = separator > 0 ? (value[..separator], 0) : ("", 0);
        if (separator <= 0 || !int.TryParse(value[(separator + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var partitions) || partitions < 1)
        {
            return false;
        }
        topic = (value[..separator], partitions);
        return true;
    }
}
