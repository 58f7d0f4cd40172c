using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace KafkaMockCluster;

/// <summary>
/// A line protocol on a loopback port for what the Kafka protocol of the mock cannot do: the mock has no CreateTopics or
/// DeleteTopics handler, so tests and the exercise checker create (with a partition count) and delete topics here.
/// Commands: <c>create-topic NAME PARTITIONS</c>, <c>delete-topic NAME</c>, <c>brokers down</c>, <c>brokers up</c>, <c>ping</c>; answers <c>ok</c> or <c>error ...</c>.
/// </summary>
internal sealed class ControlServer : LoopbackServer
{
    private readonly MockCluster _cluster;
    private readonly Action<string> _log;

    public ControlServer(MockCluster cluster, int port, Action<string> log)
        : base(port)
    {
        _cluster = cluster;
        _log = log;
        StartAccepting();
    }

    protected override async Task ServeAsync(TcpClient client)
    {
        try
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.UTF8);
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
            while (await reader.ReadLineAsync(Stopping) is { } line)
            {
                await writer.WriteLineAsync(Execute(line.Trim()));
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the cluster is stopping: nothing to answer.
        }
    }

    private string Execute(string command)
    {
        var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        try
        {
            switch (words)
            {
                case ["ping"]:
                    return "ok";
                case ["create-topic", var name, var count]
                    when int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var partitions) && partitions > 0:
                    _cluster.CreateTopic(name, partitions);
                    _log($"control: topic {name} created with {partitions} partitions");
                    return "ok";
                case ["delete-topic", var name]:
                    _cluster.DeleteTopic(name);
                    _log($"control: topic {name} deleted");
                    return "ok";
                case ["brokers", "down"]:
                    _cluster.TakeBrokersDown();
                    _log($"control: brokers 1-{_cluster.BrokerCount} down");
                    return "ok";
                case ["brokers", "up"]:
                    _cluster.BringBrokersUp();
                    _log($"control: brokers 1-{_cluster.BrokerCount} up");
                    return "ok";
                default:
                    return "error unknown command: expected 'create-topic NAME PARTITIONS', 'delete-topic NAME', 'brokers down|up' or 'ping'";
            }
        }
        catch (InvalidOperationException e)
        {
            return $"error {e.Message}";
        }
    }
}
