using SandboxShared;

namespace Migrator;

/// <summary>The Migrator's own statements, kept as .sql files under Sql/ and embedded.</summary>
internal static class SqlScripts
{
    public static string CreateSchemaMigrations => Load("create_schema_migrations");

    public static string SchemaMigrationsExists => Load("schema_migrations_exists");

    public static string SelectApplied => Load("select_applied");

    public static string InsertApplied => Load("insert_applied");

    public static string TryLock => Load("try_lock");

    public static string Lock => Load("lock");

    public static string Unlock => Load("unlock");

    private static string Load(string name) => EmbeddedSql.Load(typeof(SqlScripts).Assembly, $"Sql/{name}.sql");
}
