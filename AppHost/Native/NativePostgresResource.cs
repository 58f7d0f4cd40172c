namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// PostgreSQL from the operating system's packages, run by the AppHost as a process on 127.0.0.1 with its data in a
/// directory of its own; the same connection strings as the container's.
/// </summary>
public sealed class NativePostgresServerResource(string name, string command, string workingDirectory, ParameterResource password, string dataDirectory)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";

    private EndpointReference? _primaryEndpoint;

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);

    public ParameterResource PasswordParameter { get; } = password;

    /// <summary>PostgreSQL's data directory (initdb runs there on the first start).</summary>
    public string DataDirectory { get; } = dataDirectory;

    /// <summary>The databases to create once the server answers, by resource name.</summary>
    public Dictionary<string, string> Databases { get; } = new(StringComparer.Ordinal);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host=127.0.0.1;Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username=postgres;Password={PasswordParameter}");
}

/// <summary>A database on <see cref="NativePostgresServerResource"/>, created by the AppHost when the server is ready.</summary>
public sealed class NativePostgresDatabaseResource(string name, string databaseName, NativePostgresServerResource parent)
    : Resource(name), IResourceWithParent<NativePostgresServerResource>, IResourceWithConnectionString
{
    public NativePostgresServerResource Parent { get; } = parent;

    public string DatabaseName { get; } = databaseName;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}
