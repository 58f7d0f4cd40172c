using SandboxShared;

namespace Audit.Benchmarks;

/// <summary>The harness's own SQL files (embedded).</summary>
internal static class Sql
{
    public static string Get(string name) => EmbeddedSql.Load(typeof(Sql).Assembly, $"Sql/{name}");
}
