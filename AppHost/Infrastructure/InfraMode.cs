using Microsoft.Extensions.Configuration;

/// <summary>Where PostgreSQL, Redis and Kafka come from.</summary>
internal enum InfraMode
{
    /// <summary>Containers this AppHost runs, with their admin UIs (needs Docker or Podman).</summary>
    Containers,

    /// <summary>The operating system's PostgreSQL and Redis and the Kafka-protocol mock cluster, run by this AppHost.</summary>
    Native,

    /// <summary>Servers already running on this machine, started by <c>scripts/infra up</c> (read from .sandbox/env).</summary>
    External,
}

internal static class InfraModeSetting
{
    private const string Auto = "auto";

    /// <summary>
    /// Reads <c>--infra auto|containers|native|external</c> from the command line, else the <c>Sandbox:Infra</c> setting
    /// (<c>Sandbox__Infra</c> in the environment). Auto means containers where Docker or Podman answers, native elsewhere;
    /// publishing always describes containers. Null, after one line on stderr, when the value is none of these.
    /// </summary>
    public static InfraMode? Read(IConfiguration configuration, bool isPublishMode)
    {
        var value = configuration["infra"] ?? configuration["Sandbox:Infra"] ?? Auto;
        if (string.Equals(value, Auto, StringComparison.OrdinalIgnoreCase))
        {
            if (isPublishMode || ContainerRuntime.Answers(configuration))
            {
                return InfraMode.Containers;
            }

            Console.WriteLine("No container runtime answered (docker or podman): running PostgreSQL, Redis and Kafka natively. " +
                "Force a mode with --infra containers|native|external.");
            return InfraMode.Native;
        }

        foreach (var mode in Enum.GetValues<InfraMode>())
        {
            if (string.Equals(value, mode.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                return mode;
            }
        }

        Console.Error.WriteLine($"Unknown infrastructure mode '{value}': use --infra auto (the default), containers, native or external.");
        return null;
    }
}
