using SandboxShared;

namespace Snapshot.Job.Database;

/// <summary>Loads the .sql files embedded from this project (path relative to the project, e.g. "State/create_state.sql").</summary>
internal static class SqlText
{
    public static string Load(string path) => EmbeddedSql.Load(typeof(SqlText).Assembly, path);
}
