using Npgsql;

namespace Lab.Checker.Sql;

/// <summary>
/// One dataset a SQL check runs the learner's file against, and how the check talks about it ("actor 4242").
/// Every SQL check has a visible scenario, the one the README describes, and a hidden one with another
/// distribution, so that an answer fitted to the first alone fails.
/// </summary>
public sealed record SqlScenario(Dataset Dataset, string Label, IReadOnlyDictionary<string, object> QueryValues)
{
    public string Schema => Dataset.Schema;

    public string Query(string resource) => SqlResources.Read(resource, QueryValues);

    /// <summary>A checker connection whose search_path is this scenario's schema.</summary>
    public async Task<NpgsqlConnection> OpenAsync(Infrastructure.LabInfrastructure infrastructure, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(infrastructure.LabDbConnectionString("lab-checker", Schema));
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
