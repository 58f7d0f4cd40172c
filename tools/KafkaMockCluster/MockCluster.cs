using System.Net;
using System.Runtime.InteropServices;
using System.Text;

namespace KafkaMockCluster;

/// <summary>librdkafka's mock cluster: Kafka-protocol brokers on 127.0.0.1, in memory, alive as long as this object.</summary>
internal sealed class MockCluster : IDisposable
{
    private readonly Lock _gate = new();
    private readonly IntPtr _client;
    private IntPtr _cluster;

    private MockCluster(IntPtr client, IntPtr cluster, int brokerCount)
    {
        _client = client;
        _cluster = cluster;
        BrokerCount = brokerCount;
    }

    public int BrokerCount { get; }

    public string Bootstraps
    {
        get
        {
            lock (_gate)
            {
                return Marshal.PtrToStringUTF8(LibRdKafka.rd_kafka_mock_cluster_bootstraps(_cluster)) ?? "";
            }
        }
    }

    public static MockCluster Start(int brokerCount)
    {
        // The mock cluster needs a client instance to host its threads; it never produces anything.
        var errors = new byte[512];
        var conf = LibRdKafka.rd_kafka_conf_new();
        // Warnings and errors only (to stderr): at the default level the idle host client warns that it has no bootstrap.servers.
        if (LibRdKafka.rd_kafka_conf_set(conf, "log_level", "4", errors, (nuint)errors.Length) != LibRdKafka.ConfOk)
        {
            LibRdKafka.rd_kafka_conf_destroy(conf);
            throw new InvalidOperationException($"rd_kafka_conf_set failed: {CString(errors)}");
        }
        var client = LibRdKafka.rd_kafka_new(LibRdKafka.ProducerType, conf, errors, (nuint)errors.Length);
        if (client == IntPtr.Zero)
        {
            LibRdKafka.rd_kafka_conf_destroy(conf);
            throw new InvalidOperationException($"rd_kafka_new failed: {CString(errors)}");
        }

        var cluster = LibRdKafka.rd_kafka_mock_cluster_new(client, brokerCount);
        if (cluster == IntPtr.Zero)
        {
            LibRdKafka.rd_kafka_destroy(client);
            throw new InvalidOperationException("rd_kafka_mock_cluster_new failed (see librdkafka's log above)");
        }
        var controller = LibRdKafka.rd_kafka_mock_set_controller_id(cluster, 1);
        if (controller != LibRdKafka.NoError)
        {
            LibRdKafka.rd_kafka_mock_cluster_destroy(cluster);
            LibRdKafka.rd_kafka_destroy(client);
            throw new InvalidOperationException($"could not make broker 1 the controller: {LibRdKafka.ErrorName(controller)}");
        }
        return new MockCluster(client, cluster, brokerCount);
    }

    /// <summary>Broker 1's listener, where a fixed bootstrap address forwards to.</summary>
    public IPEndPoint FirstBroker => IPEndPoint.Parse(Bootstraps.Split(',')[0]);

    public void CreateTopic(string name, int partitions)
    {
        lock (_gate)
        {
            var replicationFactor = Math.Min(3, BrokerCount);
            ThrowOnError(LibRdKafka.rd_kafka_mock_topic_create(_cluster, name, partitions, replicationFactor), $"create topic {name}");
        }
    }

    public void DeleteTopic(string name)
    {
        lock (_gate)
        {
            ThrowOnError(LibRdKafka.rd_kafka_mock_topic_delete(_cluster, name), $"delete topic {name}");
        }
    }

    /// <summary>Disconnects every broker and refuses new connections, as if the whole cluster were unreachable.</summary>
    public void TakeBrokersDown() => SetEveryBroker(LibRdKafka.rd_kafka_mock_broker_set_down, "down");

    public void BringBrokersUp() => SetEveryBroker(LibRdKafka.rd_kafka_mock_broker_set_up, "up");

    public void Dispose()
    {
        lock (_gate)
        {
            if (_cluster == IntPtr.Zero)
            {
                return;
            }
            LibRdKafka.rd_kafka_mock_cluster_destroy(_cluster);
            LibRdKafka.rd_kafka_destroy(_client);
            _cluster = IntPtr.Zero;
        }
    }

    private void SetEveryBroker(Func<IntPtr, int, int> setState, string state)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_cluster == IntPtr.Zero, this);
            for (var brokerId = 1; brokerId <= BrokerCount; brokerId++)
            {
                ThrowOnError(setState(_cluster, brokerId), $"set broker {brokerId} {state}");
            }
        }
    }

    private static string CString(byte[] buffer) => Encoding.UTF8.GetString(buffer, 0, Math.Max(0, Array.IndexOf(buffer, (byte)0)));

    private static void ThrowOnError(int error, string what)
    {
        if (error != LibRdKafka.NoError)
        {
            throw new InvalidOperationException($"could not {what}: {LibRdKafka.ErrorName(error)}");
        }
    }
}
