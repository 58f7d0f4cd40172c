using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SandboxShared;

/// <summary>
/// Points Confluent.Kafka's native imports at <see cref="BundledLibrdkafka"/> as soon as this assembly loads. Without it,
/// Confluent.Kafka falls back to loading "librdkafka" by name, which on a machine with Debian's librdkafka-dev is the
/// system's 2.0.2, and consumers then fail with EntryPointNotFoundException. Linked into every project that references
/// Confluent.Kafka (Directory.Build.targets); file-local, so the copies in a service and in its tests never clash.
/// </summary>
file static class ConfluentKafkaNativeLibrary
{
#pragma warning disable CA2255 // A module initializer is the one hook that runs before any code of this assembly touches Kafka.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void UseBundledLibrdkafka()
    {
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(Confluent.Kafka.Library).Assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // Another assembly of this process linked this file too and set the same resolver first.
        }
    }

    // Confluent.Kafka imports "librdkafka" and, as fallbacks, "centos8-librdkafka.so" and "alpine-librdkafka.so".
    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName.Contains("rdkafka", StringComparison.OrdinalIgnoreCase) ? BundledLibrdkafka.Handle : IntPtr.Zero;
}
