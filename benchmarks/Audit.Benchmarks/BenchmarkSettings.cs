namespace Audit.Benchmarks;

/// <summary>What to run, from the command line.</summary>
internal sealed record BenchmarkSettings(
    bool Ingest,
    int Events,
    int Actors,
    bool Search,
    IReadOnlyList<long> SearchRows,
    int Queries,
    int PgbenchSeconds,
    int PgbenchClients,
    bool KeepDatabases,
    string? MarkdownPath);
