using Npgsql;

namespace Audit.Service.Storage;

/// <summary>
/// Builds the service's data source for auditdb from the contract's connection string, acting as
/// <see cref="WriterRole"/>: the startup option <c>-c role=audit_writer</c> makes every pooled connection run with
/// that role's privileges (SELECT and INSERT on the audit log, no UPDATE or DELETE), and survives the pool's reset.
/// </summary>
internal static class AuditDataSource
{
    public const string ConnectionName = "auditdb";
    public const string WriterRole = "audit_writer";

    public static NpgsqlDataSource Create(string connectionString, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var options = builder.ConnectionStringBuilder.Options;
        builder.ConnectionStringBuilder.Options = string.IsNullOrWhiteSpace(options)
            ? $"-c role={WriterRole}"
            : $"{options} -c role={WriterRole}";
        builder.ConnectionStringBuilder.ApplicationName ??= "audit-service";
        if (loggerFactory is not null)
        {
            builder.UseLoggerFactory(loggerFactory);
        }

        return builder.Build();
    }
}
