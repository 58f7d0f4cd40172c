using System.Globalization;

namespace Migrator;

/// <summary>What the console program prints: one summary per database, readable by a person at 3 a.m.</summary>
internal static class MigrationOutput
{
    public static void WriteReport(TextWriter output, MigrationReport report)
    {
        if (report.Applied.Count == 0)
        {
            var at = report.AlreadyApplied.Count == 0 ? "no migrations" : report.AlreadyApplied[^1];
            output.WriteLine($"{report.Database}: up to date at {at}.");
            return;
        }

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{report.Database}: applied {report.Applied.Count} migration(s), {report.AlreadyApplied.Count} were already applied."));
        foreach (var name in report.Applied)
        {
            output.WriteLine($"  applied  {name}");
        }
    }

    public static void WriteStatus(TextWriter output, MigrationStatus status)
    {
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{status.Database}: {status.Applied.Count} applied, {status.Pending.Count} pending."));
        foreach (var applied in status.Applied)
        {
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  applied  {applied.Name,-32} {applied.InstalledOn:yyyy-MM-dd HH:mm:ss}  {applied.Description}"));
        }

        foreach (var pending in status.Pending)
        {
            output.WriteLine($"  pending  {pending}");
        }

        foreach (var problem in status.Problems)
        {
            output.WriteLine($"  problem  {problem}");
        }
    }
}
