namespace Microsoft.Extensions.Configuration;

/// <summary>The one way a service asks for a connection string it cannot run without.</summary>
public static class ConnectionStringExtensions
{
    /// <summary>
    /// <c>ConnectionStrings:<paramref name="name"/></c>, or an <see cref="InvalidOperationException"/> whose one line names
    /// the variable and where it comes from.
    /// </summary>
    public static string GetRequiredConnectionString(this IConfiguration configuration, string name)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var value = configuration.GetConnectionString(name);
        return string.IsNullOrWhiteSpace(value) ? throw new InvalidOperationException(MissingMessage(name)) : value;
    }

    /// <summary>What to say when <c>ConnectionStrings:<paramref name="name"/></c> is not set.</summary>
    public static string MissingMessage(string name) =>
        $"ConnectionStrings__{name} is not set. Aspire sets it; in native mode run `scripts/infra up`, then load .sandbox/env " +
        "(`set -a; . .sandbox/env; set +a`).";
}
