using System.Globalization;

namespace Audit.Benchmarks;

/// <summary>The C# twin of bench_uuid(kind, n) in bench_functions.sql.</summary>
internal static class BenchIds
{
    public const int Actor = 1;
    public const int Event = 2;
    public const int Resource = 3;

    public static Guid Of(int kind, long n) =>
        Guid.Parse(string.Create(CultureInfo.InvariantCulture, $"{kind:x8}-0000-4000-8000-{n:x12}"));
}
