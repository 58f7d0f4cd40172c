using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Snapshot.Job.Manifest;
using Snapshot.Job.Masking;
using Snapshot.Job.Testing;

namespace Snapshot.Job.Steps;

/// <summary>
/// Step 4: dumps the masked work database (pg_dump custom format, without the job's own snapshot_job schema) and
/// writes the manifest beside it. Both files appear under their final names only once complete (written under a
/// temporary name, then renamed), and a repeat overwrites them, so this step is safe to run again.
/// </summary>
internal sealed class WriteSnapshotStep : ISnapshotStep
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // a file, not HTML: keep "+" and "'" readable
    };

    public int Number => 4;

    public string Name => "write-snapshot";

    public async Task<StepResult> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var started = Stopwatch.GetTimestamp();
        var files = context.Files;
        Directory.CreateDirectory(files.Directory);
        files.DeleteStalePartials();

        var partialDump = SnapshotFiles.PartialOf(files.Dump);
        await context.Retry.ExecuteAsync("pg_dump", async token =>
        {
            using var activity = context.ActivitySource.StartActivity("pg_dump");
            activity?.SetTag("db.system.name", "postgresql");
            activity?.SetTag("db.namespace", context.Work.Name);
            activity?.SetTag("snapshot.file", files.Dump);
            // The state schema holds the run key: it must never travel with the snapshot.
            await context.PgTools.DumpAsync(context.Work.ConnectionString, [.. context.PgTools.Tools.DumpArguments(), "--exclude-schema=snapshot_job"], partialDump, token);
        }, cancellationToken);

        context.Hooks.Reached(TestHooks.InStep(Number));

        var tables = new List<ManifestTable>();
        var written = new List<TableRows>();
        foreach (var table in context.Catalog.Tables)
        {
            using var activity = context.StartTableActivity(this, table);
            var (rows, checksum) = await context.Retry.ExecuteAsync(
                $"checksum {table}", token => TableFingerprint.ComputeAsync(context.Work.DataSource, table, token), cancellationToken);
            activity?.SetTag("snapshot.rows", rows);
            tables.Add(new ManifestTable(table.ToString(), Treatment(context.Rules.Find(table)), rows, checksum));
            written.Add(new TableRows(table, rows));
        }

        File.Move(partialDump, files.Dump, overwrite: true);
        var manifest = Manifest(context, tables, Stopwatch.GetElapsedTime(started));
        var partialManifest = SnapshotFiles.PartialOf(files.Manifest);
        await using (var stream = new FileStream(partialManifest, FileMode.Create, FileAccess.Write))
        {
            await JsonSerializer.SerializeAsync(stream, manifest, s_json, cancellationToken);
            // On disk before the rename makes it visible (pg_dump syncs the dump itself).
            stream.Flush(flushToDisk: true);
        }

        File.Move(partialManifest, files.Manifest, overwrite: true);

        return new StepResult(written);
    }

    private SnapshotManifest Manifest(StepContext context, List<ManifestTable> tables, TimeSpan elapsed)
    {
        var files = context.Files;
        var now = DateTimeOffset.UtcNow;
        var steps = context.CompletedSteps
            .Select(step => new ManifestStep(step.Step, step.Name, step.Rows, step.DurationMs, step.CompletedAt))
            .Append(new ManifestStep(Number, Name, tables.Sum(table => table.Rows), (long)elapsed.TotalMilliseconds, now))
            .ToList();
        return new SnapshotManifest(
            context.Run.Application,
            Path.GetFileName(files.Dump),
            new FileInfo(files.Dump).Length,
            Sha256Of(files.Dump),
            context.Run.Id,
            context.Run.StartedAt,
            now,
            context.Run.Attempts,
            new ManifestRules(context.Rules.File.DisplayName, context.Run.RulesVersion, context.Run.RulesSha256),
            new ManifestSource(context.Run.SourceDatabase, context.Run.SourceServerVersion, context.Run.SourceSchemaVersion),
            context.PgTools.Tools.Version,
            steps,
            tables);
    }

    private static string Treatment(TableRule? rule) => rule switch
    {
        { Truncate: true } => "truncated",
        { } when rule.Columns.Any(column => column.Mask.Kind != MaskKind.Keep) => "masked",
        _ => "kept",
    };

    private static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
