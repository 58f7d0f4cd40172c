namespace Audit.Benchmarks;

/// <summary>Latency summary of a sample, in milliseconds (nearest-rank percentiles).</summary>
internal sealed record Percentiles(int Count, double Mean, double P50, double P95, double P99, double Max)
{
    public static Percentiles Of(IReadOnlyCollection<double> milliseconds)
    {
        if (milliseconds.Count == 0)
        {
            return new Percentiles(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var sorted = milliseconds.Order().ToArray();
        double At(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Percentiles(sorted.Length, sorted.Average(), At(0.50), At(0.95), At(0.99), sorted[^1]);
    }
}
