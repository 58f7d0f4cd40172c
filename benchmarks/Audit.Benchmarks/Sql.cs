namespace Audit.Benchmarks;

/// <summary>The harness's own SQL files (embedded).</summary>
internal static class Sql
{
    public static string Get(string name)
    {
        using var stream = typeof(Sql).Assembly.GetManifestResourceStream($"Sql/{name}")
            ?? throw new InvalidOperationException($"Sql/{name} is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
