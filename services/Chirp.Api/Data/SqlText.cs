using SandboxShared;

namespace Chirp.Api.Data;

/// <summary>Loads the .sql files embedded from this project (path relative to the project, e.g. "Chirps/insert_chirp.sql").</summary>
public static class SqlText
{
    public static string Load(string path) => EmbeddedSql.Load(typeof(SqlText).Assembly, path);
}
