using Npgsql;

namespace Audit.Service.Storage;

/// <summary>auditdb's data sources, from Aspire's integration (ConnectionStrings:auditdb, traced, metered, health-checked).</summary>
internal static class AuditDbRegistration
{
    public const string ConnectionName = "auditdb";
    public const string WriterRole = "audit_writer";

    /// <summary>The key of the data source without the role, which only the schema readiness check uses.</summary>
    public const string SchemaDataSourceKey = "auditdb-schema";

    public static IHostApplicationBuilder AddAuditDb(this IHostApplicationBuilder builder)
    {
        // Checked here because the integration reads the connection string now, and names Aspire's sections, not ours.
        var connectionString = builder.Configuration.GetRequiredConnectionString(ConnectionName);
        builder.AddNpgsqlDataSource(ConnectionName, configureDataSourceBuilder: ActAsWriter);
        // Without the role, so readiness can say "run the Migrator" before the migration that creates audit_writer ran.
        builder.AddKeyedNpgsqlDataSource(SchemaDataSourceKey, settings =>
        {
            settings.ConnectionString = connectionString;
            settings.DisableHealthChecks = true; // The schema check is this data source's check.
        });
        return builder;
    }

    /// <summary>
    /// The startup option <c>-c role=audit_writer</c> makes every pooled connection run with that role's privileges
    /// (SELECT and INSERT on the audit log, no UPDATE or DELETE), and survives the pool's reset.
    /// </summary>
    private static void ActAsWriter(NpgsqlDataSourceBuilder dataSource)
    {
        var connection = dataSource.ConnectionStringBuilder;
        connection.Options = string.IsNullOrWhiteSpace(connection.Options)
            ? $"-c role={WriterRole}"
            : $"{connection.Options} -c role={WriterRole}";
        connection.ApplicationName ??= "audit-service";
    }
}
