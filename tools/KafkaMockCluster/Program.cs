// Stands in for a real Kafka broker, which no package here provides: librdkafka's mock cluster speaks the Kafka protocol.
using System.Runtime.InteropServices;
using KafkaMockCluster;

const int BrokerCount = 3;

if (args is ["--help"] or ["-h"])
{
    Console.WriteLine(LauncherOptions.Usage);
    return 0;
}
if (!LauncherOptions.TryParse(args, out var options, out var usageError))
{
    Console.Error.WriteLine(usageError);
    Console.Error.WriteLine(LauncherOptions.Usage);
    return 2;
}
if (!LibRdKafka.TryLoad(out var loadError))
{
    Console.Error.WriteLine(loadError);
    return 2;
}

using var cluster = MockCluster.Start(BrokerCount);
foreach (var (name, partitions) in options.Topics)
{
    cluster.CreateTopic(name, partitions);
}

using var stopped = new ManualResetEventSlim();
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    Log($"{context.Signal} received, stopping");
    stopped.Set();
}
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onOutageStart = OnOutageSignal(macOSNumber: 30, linuxNumber: 10, "SIGUSR1", cluster.TakeBrokersDown, "down");
using var onOutageStop = OnOutageSignal(macOSNumber: 31, linuxNumber: 12, "SIGUSR2", cluster.BringBrokersUp, "up");

using var control = new ControlServer(cluster, options.ControlPort, Log);
Console.WriteLine($"control={control.Address}");
if (options.ControlFile is { } controlFile)
{
    WriteAtomically(controlFile, control.Address + Environment.NewLine);
}

using var forwarder = options.BootstrapPort is { } bootstrapPort ? new BootstrapForwarder(bootstrapPort, cluster.FirstBroker) : null;
var bootstraps = forwarder?.Address ?? cluster.Bootstraps;
Console.WriteLine($"bootstrap={bootstraps}");
if (options.BootstrapFile is { } bootstrapFile)
{
    WriteAtomically(bootstrapFile, bootstraps + Environment.NewLine);
}
var version = Marshal.PtrToStringUTF8(LibRdKafka.rd_kafka_version_str());
var topics = options.Topics.Count == 0 ? "none" : string.Join(", ", options.Topics.Select(t => $"{t.Name} ({t.Partitions} partitions)"));
Log($"librdkafka {version} mock cluster with {BrokerCount} brokers is up at {cluster.Bootstraps}; bootstrap {bootstraps}; topics created: {topics}");

stopped.Wait();
return 0;

// SIGUSR1/SIGUSR2 are not in PosixSignal; their raw numbers differ between Linux and the BSDs (macOS).
PosixSignalRegistration? OnOutageSignal(int macOSNumber, int linuxNumber, string signalName, Action change, string state)
{
    if (OperatingSystem.IsWindows())
    {
        return null;
    }
    var number = OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? macOSNumber : linuxNumber;
    return PosixSignalRegistration.Create((PosixSignal)number, context =>
    {
        context.Cancel = true;
        try
        {
            change();
            Log($"{signalName}: brokers 1-{BrokerCount} {state}");
        }
        catch (InvalidOperationException e)
        {
            Log($"{signalName}: {e.Message}");
        }
    });
}

static void WriteAtomically(string path, string content)
{
    var temporary = $"{path}.{Environment.ProcessId}.tmp";
    File.WriteAllText(temporary, content);
    File.Move(temporary, path, overwrite: true);
}

static void Log(string message) => Console.WriteLine($"{DateTimeOffset.Now:yyyy-MM-ddTHH:mm:ss.fffzzz} {message}");
