using System.Runtime.InteropServices;

namespace SandboxShared;

/// <summary>
/// The librdkafka that the librdkafka.redist package ships beside the application (runtimes/RID/native), loaded by full
/// path so that an operating-system copy (Debian's librdkafka-dev installs an older 2.0.2 as librdkafka.so) is never used.
/// </summary>
public static class BundledLibrdkafka
{
    private static readonly Lazy<(IntPtr Handle, string Path)> s_library = new(Load);

    /// <summary>The loaded library; throws <see cref="DllNotFoundException"/> naming every file tried when none loads.</summary>
    public static IntPtr Handle => s_library.Value.Handle;

    /// <summary>The file that was loaded.</summary>
    public static string Path => s_library.Value.Path;

    /// <summary>The files to try for this platform, most capable first, under <paramref name="baseDirectory"/>.</summary>
    public static IEnumerable<string> Candidates(string baseDirectory)
    {
        var architecture = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        string[] files;
        string platform;
        if (OperatingSystem.IsWindows())
        {
            (platform, files) = ("win", ["librdkafka.dll"]);
        }
        else if (OperatingSystem.IsMacOS())
        {
            (platform, files) = ("osx", ["librdkafka.dylib"]);
        }
        else
        {
            // librdkafka.so needs libsasl2.so.3 (absent on Debian 12); centos8- links only glibc; alpine- is for musl.
            (platform, files) = ("linux", ["librdkafka.so", "centos8-librdkafka.so", "alpine-librdkafka.so"]);
        }

        var native = System.IO.Path.Combine(baseDirectory, "runtimes", $"{platform}-{architecture}", "native");
        return files.Select(file => System.IO.Path.Combine(native, file));
    }

    private static (IntPtr, string) Load()
    {
        var failures = new List<string>();
        foreach (var candidate in Candidates(AppContext.BaseDirectory))
        {
            if (!File.Exists(candidate))
            {
                failures.Add($"{candidate}: missing");
                continue;
            }

            try
            {
                return (NativeLibrary.Load(candidate), candidate);
            }
            catch (DllNotFoundException e)
            {
                failures.Add($"{candidate}: {e.Message}");
            }
        }

        throw new DllNotFoundException(
            "None of the librdkafka builds of the librdkafka.redist package loads on this machine. Tried:" + Environment.NewLine +
            string.Join(Environment.NewLine, failures.Select(failure => "  " + failure)) + Environment.NewLine +
            "Restore and build again (dotnet build) so that the package's runtimes/ folder is next to the program.");
    }
}
