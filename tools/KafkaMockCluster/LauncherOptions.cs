using System.Globalization;

namespace KafkaMockCluster;

/// <summary>The command line: where to write the bootstrap servers, and which topics to create up front.</summary>
internal sealed record LauncherOptions(string? BootstrapFile, string? ControlFile, IReadOnlyList<(string Name, int Partitions)> Topics)
{
    public const string Usage = """
        usage: KafkaMockCluster [--bootstrap-file PATH] [--control-file PATH] [--topic NAME:PARTITIONS]...
          Starts a 3-broker Kafka-protocol cluster (librdkafka's mock) on 127.0.0.1 and prints its bootstrap servers.
          A control port on 127.0.0.1 (its address printed and written to --control-file) takes one command a line:
          'create-topic NAME PARTITIONS', 'delete-topic NAME', 'brokers down', 'brokers up', 'ping'.
          SIGUSR1 takes every broker down, SIGUSR2 brings them back; SIGTERM or SIGINT stops the cluster.
        """;

    public static bool TryParse(string[] args, out LauncherOptions options, out string error)
    {
        string? bootstrapFile = null;
        string? controlFile = null;
        var topics = new List<(string, int)>();
        options = new LauncherOptions(null, null, topics);
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

        options = new LauncherOptions(bootstrapFile, controlFile, topics);
        return true;
    }

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
