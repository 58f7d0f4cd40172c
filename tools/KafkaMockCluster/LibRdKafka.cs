using System.Runtime.InteropServices;
using SandboxShared;

namespace KafkaMockCluster;

/// <summary>The few librdkafka entry points the launcher calls (rdkafka.h, rdkafka_mock.h).</summary>
internal static partial class LibRdKafka
{
    private const string LibraryName = "rdkafka";

    public const int ProducerType = 0;
    public const int ConfOk = 0;
    public const int NoError = 0;

    /// <summary>
    /// Routes this assembly's imports to the librdkafka bundled with librdkafka.redist (the same build Confluent.Kafka
    /// uses in every other process), so native Kafka needs no operating-system library. False, with why, when none loads.
    /// </summary>
    public static bool TryLoad(out string error)
    {
        try
        {
            var handle = BundledLibrdkafka.Handle;
            NativeLibrary.SetDllImportResolver(typeof(LibRdKafka).Assembly, (name, _, _) => name == LibraryName ? handle : IntPtr.Zero);
            error = "";
            return true;
        }
        catch (DllNotFoundException e)
        {
            error = e.Message;
            return false;
        }
    }

    public static string ErrorName(int error) => Marshal.PtrToStringUTF8(rd_kafka_err2str(error)) ?? error.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [LibraryImport(LibraryName)]
    public static partial IntPtr rd_kafka_version_str();

    [LibraryImport(LibraryName)]
    public static partial IntPtr rd_kafka_err2str(int error);

    [LibraryImport(LibraryName)]
    public static partial IntPtr rd_kafka_conf_new();

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rd_kafka_conf_set(IntPtr conf, string name, string value, byte[] errstr, nuint errstrSize);

    /// <summary>Takes ownership of <paramref name="conf"/> on success only.</summary>
    [LibraryImport(LibraryName)]
    public static partial IntPtr rd_kafka_new(int type, IntPtr conf, byte[] errstr, nuint errstrSize);

    [LibraryImport(LibraryName)]
    public static partial void rd_kafka_conf_destroy(IntPtr conf);

    [LibraryImport(LibraryName)]
    public static partial void rd_kafka_destroy(IntPtr rk);

    [LibraryImport(LibraryName)]
    public static partial IntPtr rd_kafka_mock_cluster_new(IntPtr rk, int brokerCount);

    [LibraryImport(LibraryName)]
    public static partial void rd_kafka_mock_cluster_destroy(IntPtr cluster);

    /// <summary>Returns a string the cluster owns: read it, never free it.</summary>
    [LibraryImport(LibraryName)]
    public static partial IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr cluster);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rd_kafka_mock_topic_create(IntPtr cluster, string topic, int partitionCount, int replicationFactor);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rd_kafka_mock_topic_delete(IntPtr cluster, string topic);

    /// <summary>Without a controller the mock answers no admin request (DescribeCluster, DescribeTopics) before they time out.</summary>
    [LibraryImport(LibraryName)]
    public static partial int rd_kafka_mock_set_controller_id(IntPtr cluster, int brokerId);

    [LibraryImport(LibraryName)]
    public static partial int rd_kafka_mock_broker_set_down(IntPtr cluster, int brokerId);

    [LibraryImport(LibraryName)]
    public static partial int rd_kafka_mock_broker_set_up(IntPtr cluster, int brokerId);
}
