using System.Runtime.InteropServices;
using System.Text;
using SandboxShared;

namespace Lab.Checker.Infrastructure;

/// <summary>
/// A Kafka-protocol cluster of the check's own, in this process: librdkafka's mock cluster (the one tools/KafkaMockCluster
/// launches for native mode), from the librdkafka bundled with librdkafka.redist. A check that takes brokers down uses
/// this, never the shared cluster that other programs (and the learner's AppHost) rely on; it works the same whether
/// the learner runs native servers or containers. Topics are created here; producers auto-create unknown ones.
/// </summary>
public sealed class PrivateKafkaCluster : IDisposable
{
    private readonly Lock _gate = new();
    private readonly IntPtr _client;
    private IntPtr _cluster;

    private PrivateKafkaCluster(IntPtr client, IntPtr cluster, int brokerCount)
    {
        _client = client;
        _cluster = cluster;
        BrokerCount = brokerCount;
        BootstrapServers = Marshal.PtrToStringUTF8(Native.ClusterBootstraps(cluster)) ?? string.Empty;
    }

    public int BrokerCount { get; }

    /// <summary>The brokers' addresses on 127.0.0.1, for clients' bootstrap.servers.</summary>
    public string BootstrapServers { get; }

    public bool BrokersUp { get; private set; } = true;

    public static PrivateKafkaCluster Start(int brokerCount = 1)
    {
        var errors = new byte[512];
        var conf = Native.ConfNew();
        if (Native.ConfSet(conf, "log_level", "3", errors, (nuint)errors.Length) != 0)
        {
            Native.ConfDestroy(conf);
            throw new InvalidOperationException($"librdkafka refused a setting: {CString(errors)}");
        }

        // The mock needs a client instance to host its threads; it never produces anything.
        var client = Native.New(0, conf, errors, (nuint)errors.Length);
        if (client == IntPtr.Zero)
        {
            Native.ConfDestroy(conf);
            throw new InvalidOperationException($"librdkafka could not start a client: {CString(errors)}");
        }

        var cluster = Native.ClusterNew(client, brokerCount);
        if (cluster == IntPtr.Zero)
        {
            Native.Destroy(client);
            throw new InvalidOperationException("librdkafka could not start its mock cluster.");
        }

        // Without a controller the mock answers no admin request.
        Native.SetControllerId(cluster, 1);
        return new PrivateKafkaCluster(client, cluster, brokerCount);
    }

    public void CreateTopic(string topic, int partitions)
    {
        lock (_gate)
        {
            Check(Native.TopicCreate(_cluster, topic, partitions, Math.Min(3, BrokerCount)), $"create topic {topic}");
        }
    }

    /// <summary>Every broker disconnects its clients and refuses new connections, as in an outage of the whole cluster.</summary>
    public void TakeBrokersDown() => SetBrokers(up: false);

    public void BringBrokersUp() => SetBrokers(up: true);

    public void Dispose()
    {
        lock (_gate)
        {
            if (_cluster == IntPtr.Zero)
            {
                return;
            }

            Native.ClusterDestroy(_cluster);
            Native.Destroy(_client);
            _cluster = IntPtr.Zero;
        }
    }

    private void SetBrokers(bool up)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_cluster == IntPtr.Zero, this);
            for (var broker = 1; broker <= BrokerCount; broker++)
            {
                Check(up ? Native.BrokerSetUp(_cluster, broker) : Native.BrokerSetDown(_cluster, broker), $"set broker {broker} {(up ? "up" : "down")}");
            }

            BrokersUp = up;
        }
    }

    private static void Check(int error, string what)
    {
        if (error != 0)
        {
            throw new InvalidOperationException($"The check's Kafka cluster could not {what} (librdkafka error {error}).");
        }
    }

    private static string CString(byte[] buffer) => Encoding.UTF8.GetString(buffer, 0, Math.Max(0, Array.IndexOf(buffer, (byte)0)));

    /// <summary>The librdkafka entry points (rdkafka.h, rdkafka_mock.h), bound by name in the bundled library.</summary>
    private static class Native
    {
        private static readonly IntPtr s_library = BundledLibrdkafka.Handle;

        public static readonly ConfNewFn ConfNew = Bind<ConfNewFn>("rd_kafka_conf_new");
        public static readonly ConfSetFn ConfSet = Bind<ConfSetFn>("rd_kafka_conf_set");
        public static readonly ConfDestroyFn ConfDestroy = Bind<ConfDestroyFn>("rd_kafka_conf_destroy");
        public static readonly NewFn New = Bind<NewFn>("rd_kafka_new");
        public static readonly DestroyFn Destroy = Bind<DestroyFn>("rd_kafka_destroy");
        public static readonly ClusterNewFn ClusterNew = Bind<ClusterNewFn>("rd_kafka_mock_cluster_new");
        public static readonly ClusterDestroyFn ClusterDestroy = Bind<ClusterDestroyFn>("rd_kafka_mock_cluster_destroy");
        public static readonly ClusterBootstrapsFn ClusterBootstraps = Bind<ClusterBootstrapsFn>("rd_kafka_mock_cluster_bootstraps");
        public static readonly TopicCreateFn TopicCreate = Bind<TopicCreateFn>("rd_kafka_mock_topic_create");
        public static readonly BrokerFn SetControllerId = Bind<BrokerFn>("rd_kafka_mock_set_controller_id");
        public static readonly BrokerFn BrokerSetDown = Bind<BrokerFn>("rd_kafka_mock_broker_set_down");
        public static readonly BrokerFn BrokerSetUp = Bind<BrokerFn>("rd_kafka_mock_broker_set_up");

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate IntPtr ConfNewFn();

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate int ConfSetFn(IntPtr conf, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, byte[] errors, nuint size);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate void ConfDestroyFn(IntPtr conf);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate IntPtr NewFn(int type, IntPtr conf, byte[] errors, nuint size);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate void DestroyFn(IntPtr client);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate IntPtr ClusterNewFn(IntPtr client, int brokers);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate void ClusterDestroyFn(IntPtr cluster);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate IntPtr ClusterBootstrapsFn(IntPtr cluster);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate int TopicCreateFn(IntPtr cluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic, int partitions, int replicationFactor);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate int BrokerFn(IntPtr cluster, int broker);

        private static T Bind<T>(string name)
            where T : Delegate => Marshal.GetDelegateForFunctionPointer<T>(NativeLibrary.GetExport(s_library, name));
    }
}
