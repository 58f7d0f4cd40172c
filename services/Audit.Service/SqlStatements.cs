using SandboxShared;

namespace Audit.Service;

/// <summary>The service's SQL, kept in .sql files beside the code that runs them and embedded at build time.</summary>
internal static class SqlStatements
{
    /// <summary>The text of an embedded .sql file, by its path in the project, e.g. "Storage/Sql/claim_event_ids.sql".</summary>
    public static string Get(string path) => EmbeddedSql.Load(typeof(SqlStatements).Assembly, path);
}
