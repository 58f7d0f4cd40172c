using Microsoft.Extensions.Configuration;

/// <summary>Where PostgreSQL, Redis and Kafka come from.</summary>
internal enum InfraMode
{
    /// <summary>Containers this AppHost runs, with their admin UIs (needs Docker or Podman).</summary>
    Containers,

    /// <summary>Servers already running on this machine, started by <c>scripts/infra up</c>.</summary>
    External,
}

internal static class InfraModeSetting
{
    /// <summary>
    /// Reads <c>--infra containers|external</c> from the command line, else the <c>Sandbox:Infra</c> setting
    /// (<c>Sandbox__Infra</c> in the environment). Null, after one line on stderr, when the value is neither.
    /// </summary>
    public static InfraMode? Read(IConfiguration configuration)
    {
        var value = configuration["infra"] ?? configuration["Sandbox:Infra"] ?? nameof(InfraMode.Containers);
        foreach (var mode in Enum.GetValues<InfraMode>())
        {
            if (string.Equals(value, mode.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                return mode;
            }
        }

        Console.Error.WriteLine($"Unknown infrastructure mode '{value}': use --infra containers (the default) or --infra external.");
        return null;
    }
}
