using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Audit.Benchmarks;

/// <summary>Runs PostgreSQL's pgbench against a benchmark database and reads its results.</summary>
internal static partial class Pgbench
{
    /// <param name="script">A pgbench script (SQL and backslash commands).</param>
    /// <param name="logLatencies">Also collect every transaction's latency (pgbench -l) for percentiles.</param>
    public static async Task<PgbenchResult> RunAsync(
        BenchDatabase database,
        string script,
        int clients,
        int seconds,
        IReadOnlyDictionary<string, string> variables,
        bool logLatencies)
    {
        var work = Directory.CreateTempSubdirectory("audit-bench-pgbench-");
        try
        {
            var scriptPath = Path.Combine(work.FullName, "script.sql");
            await File.WriteAllTextAsync(scriptPath, script);
            var connection = database.Builder;
            var start = new ProcessStartInfo("pgbench")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = work.FullName,
            };
            foreach (var argument in new[]
            {
                "-n", "-f", scriptPath, "-c", clients.ToString(CultureInfo.InvariantCulture),
                "-j", Math.Min(clients, Environment.ProcessorCount).ToString(CultureInfo.InvariantCulture),
                "-T", seconds.ToString(CultureInfo.InvariantCulture),
                "-h", connection.Host!, "-p", connection.Port.ToString(CultureInfo.InvariantCulture), "-U", connection.Username!,
            })
            {
                start.ArgumentList.Add(argument);
            }

            foreach (var (name, value) in variables)
            {
                start.ArgumentList.Add("-D");
                start.ArgumentList.Add($"{name}={value}");
            }

            if (logLatencies)
            {
                start.ArgumentList.Add("-l");
                start.ArgumentList.Add("--log-prefix=" + Path.Combine(work.FullName, "latency"));
            }

            start.ArgumentList.Add(connection.Database!);
            start.Environment["PGPASSWORD"] = connection.Password;

            using var process = Process.Start(start) ?? throw new InvalidOperationException("pgbench did not start.");
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var text = await output;
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"pgbench failed ({process.ExitCode}):{Environment.NewLine}{await errors}{text}");
            }

            var tps = double.Parse(Tps().Match(text).Groups[1].Value, CultureInfo.InvariantCulture);
            var transactions = long.Parse(Processed().Match(text).Groups[1].Value, CultureInfo.InvariantCulture);
            var latencies = new List<double>();
            if (logLatencies)
            {
                foreach (var log in work.EnumerateFiles("latency*"))
                {
                    foreach (var line in await File.ReadAllLinesAsync(log.FullName))
                    {
                        // client_id transaction_no time(us) script_no time_epoch time_us
                        var fields = line.Split(' ');
                        latencies.Add(double.Parse(fields[2], CultureInfo.InvariantCulture) / 1000.0);
                    }
                }
            }

            return new PgbenchResult(tps, transactions, Percentiles.Of(latencies));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex Tps();

    [GeneratedRegex(@"number of transactions actually processed: ([0-9]+)")]
    private static partial Regex Processed();
}

internal sealed record PgbenchResult(double Tps, long Transactions, Percentiles Latency);
