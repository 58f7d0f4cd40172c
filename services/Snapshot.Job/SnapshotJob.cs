using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Snapshot.Job.Configuration;
using Snapshot.Job.Database;
using Snapshot.Job.Manifest;
using Snapshot.Job.Masking;
using Snapshot.Job.Resilience;
using Snapshot.Job.State;
using Snapshot.Job.Steps;
using Snapshot.Job.Telemetry;
using Snapshot.Job.Testing;

namespace Snapshot.Job;

/// <summary>
/// One run: check the rules against the source before touching anything, take the run's lock, resume the run an
/// interrupted one left in the work database (or start a new one), run the steps not yet done, and drop the work
/// database once the snapshot is written. A failed run keeps the work database, so the next run resumes.
/// </summary>
internal sealed partial class SnapshotJob(
    SnapshotOptions options,
    IConfiguration configuration,
    RetryRunner retry,
    SnapshotMetrics metrics,
    ServiceTelemetry telemetry,
    ILogger<SnapshotJob> logger)
{
    private static readonly ISnapshotStep[] s_steps = [new CopyStep(), new AnonymizeStep(), new ReplaceSecretsStep(), new WriteSnapshotStep()];

    public async Task<SnapshotFiles> RunAsync(CancellationToken cancellationToken)
    {
        using var activity = telemetry.ActivitySource.StartActivity("snapshot run");
        var started = Stopwatch.GetTimestamp();
        var application = options.Application;
        try
        {
            var rules = LoadRules();
            application = rules.Application;
            activity?.SetTag("snapshot.application", application);
            var files = await RunAsync(rules, activity, cancellationToken);
            Record(started, application, errorType: null);
            return files;
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            Record(started, application, ex is RulesMismatchException ? "rules_mismatch" : TransientFailure.Reason(ex));
            throw;
        }
    }

    private async Task<SnapshotFiles> RunAsync(SnapshotRules rules, Activity? activity, CancellationToken cancellationToken)
    {
        var sourceConnectionString = configuration.GetConnectionString(rules.Source);
        if (string.IsNullOrWhiteSpace(sourceConnectionString))
        {
            throw new SnapshotConfigurationException(
                $"No connection string for {rules.Source} (the source {rules.File.DisplayName} names): set ConnectionStrings__{rules.Source}. " +
                "Aspire sets it for you; in native mode run `scripts/infra up`, then `set -a; . .sandbox/env; set +a`.");
        }

        // Before anything is created: the rules must classify every column of the source, and the tools must fit it.
        var (source, catalog) = await retry.ExecuteAsync("read the source's schema", token => InspectAsync(sourceConnectionString, token), cancellationToken);
        var problems = RulesCheck.Problems(rules, catalog);
        if (problems.Count > 0)
        {
            throw new RulesMismatchException(problems);
        }

        LogRulesFit(rules.File.DisplayName, rules.Version, catalog.Columns.Count, catalog.Tables.Count, source.Database);
        var server = Describe(sourceConnectionString);
        var tools = await PgTools.FindAsync(options.PgBinDirectory, source.ServerMajor, server, cancellationToken);
        LogTools(tools.Version, tools.PgDump, source.ServerVersion);

        var workName = string.IsNullOrWhiteSpace(options.WorkDatabase) ? WorkDatabase.DefaultName(source.Database, rules.Application) : options.WorkDatabase;
        if (string.Equals(workName, source.Database, StringComparison.Ordinal))
        {
            throw new SnapshotConfigurationException($"Snapshot:WorkDatabase is the source database {source.Database}: the job drops its work database, so give it another name.");
        }

        await using var work = new WorkDatabase(sourceConnectionString, workName);
        activity?.SetTag("snapshot.work_database", work.Name);
        await using var runLock = await retry.ExecuteAsync("take the run's lock", token => RunLock.AcquireAsync(work.MaintenanceConnectionString, work.Name, token), cancellationToken);

        var state = new RunState(work.DataSource);
        var (run, completed) = await retry.ExecuteAsync("find an interrupted run", token => ResumeOrStartAsync(rules, source, work, state, token), cancellationToken);
        activity?.SetTag("snapshot.run_id", run.Id.ToString());
        activity?.SetTag("snapshot.resumed", completed.Count > 0);
        activity?.SetTag("snapshot.attempt", run.Attempts);

        var context = new StepContext
        {
            Rules = rules,
            Run = run,
            Source = source,
            Catalog = catalog,
            SourceConnectionString = sourceConnectionString,
            Work = work,
            State = state,
            PgTools = new PgToolRunner(tools),
            Retry = retry,
            Files = new SnapshotFiles(options.OutputDirectory, rules.Application, run.StartedAt),
            CompletedSteps = completed,
            Hooks = new TestHooks(options.Testing.CrashAt),
            ActivitySource = telemetry.ActivitySource,
            Logger = logger,
        };

        foreach (var step in s_steps)
        {
            if (completed.Exists(done => done.Step == step.Number))
            {
                using var skipped = StartStepActivity(step);
                skipped?.SetTag("snapshot.step.skipped", true);
                LogStepSkipped(step.Number, step.Name);
                continue;
            }

            await retry.ExecuteAsync("check the run's lock", runLock.EnsureHeldAsync, cancellationToken);
            completed.Add(await RunStepAsync(step, context, cancellationToken));
            context.Hooks.Reached(TestHooks.AfterStep(step.Number));
        }

        await retry.ExecuteAsync("drop the work database", work.DropAsync, cancellationToken);
        LogWritten(context.Files.Dump, context.Files.Manifest, work.Name);
        return context.Files;
    }

    private async Task<CompletedStep> RunStepAsync(ISnapshotStep step, StepContext context, CancellationToken cancellationToken)
    {
        using var activity = StartStepActivity(step);
        var started = Stopwatch.GetTimestamp();
        LogStepStarting(step.Number, step.Name);
        try
        {
            var result = await step.RunAsync(context, cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var done = new CompletedStep(step.Number, step.Name, result.Rows, (long)elapsed.TotalMilliseconds, DateTimeOffset.UtcNow);
            await context.Retry.ExecuteAsync($"record step {step.Number}", token => step.Number == 1
                ? context.State.CreateAsync(context.Run, done, token)
                : context.State.RecordStepAsync(done, token), cancellationToken);

            activity?.SetTag("snapshot.rows", result.Rows);
            activity?.SetTag("snapshot.tables", result.Tables.Count);
            var tags = new TagList { { "snapshot.application", context.Rules.Application }, { "snapshot.step", step.Name } };
            metrics.StepDuration.Record(elapsed.TotalSeconds, tags);
            metrics.Rows.Add(result.Rows, tags);
            LogStepDone(step.Number, step.Name, done.DurationMs, result.Rows, result.Tables.Count);
            return done;
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            var kept = step.Number > 1 || context.CompletedSteps.Count > 0;
            LogStepFailed(step.Number, step.Name, kept ? $"the work database {context.Work.Name} is kept: run the job again to resume with step {step.Number}" : "nothing to resume: the next run starts over");
            throw;
        }
    }

    /// <summary>The run an interrupted one left in the work database, or a new run (dropping an unusable leftover first).</summary>
    private async Task<(RunInfo Run, List<CompletedStep> Completed)> ResumeOrStartAsync(
        SnapshotRules rules,
        SourceFacts source,
        WorkDatabase work,
        RunState state,
        CancellationToken cancellationToken)
    {
        var found = await work.FindAsync(cancellationToken);
        if (found == WorkDatabaseState.NotMadeByTheJob)
        {
            throw new SnapshotConfigurationException(
                $"A database named {work.Name} exists, and the snapshot job did not make it, so it will not touch it: set Snapshot:WorkDatabase " +
                "to another name, or drop that database yourself if it is the leftover of an old run.");
        }

        if (found == WorkDatabaseState.Made)
        {
            var recorded = await state.ReadAsync(cancellationToken);
            var reason = recorded switch
            {
                null => "it holds no completed copy (a run was interrupted in step 1)",
                var (run, _) when run.RulesSha256 != rules.File.Sha256 => $"{rules.File.DisplayName} changed since that run started, and masks must not be mixed",
                var (run, _) when DateTimeOffset.UtcNow - run.StartedAt > options.MaxResumeAge => $"its copy is from {run.StartedAt:u}, older than Snapshot:MaxResumeAge ({options.MaxResumeAge})",
                _ => null,
            };

            if (reason is null)
            {
                var (run, steps) = recorded!.Value;
                var attempts = await state.CountAttemptAsync(cancellationToken);
                LogResuming(run.Id, run.StartedAt, attempts, work.Name, steps.Count == 0 ? 0 : steps.Max(step => step.Step));
                return (run with { Attempts = attempts }, steps.ToList());
            }

            LogStartingOver(work.Name, reason);
            await work.DropAsync(cancellationToken);
        }

        var key = string.IsNullOrWhiteSpace(options.Testing.RunKey) ? RunKey.Random() : RunKey.FromHex(options.Testing.RunKey);
        var started = new RunInfo(
            Guid.CreateVersion7(),
            rules.Application,
            rules.Version,
            rules.File.Sha256,
            key,
            source.Database,
            source.ServerVersion,
            source.SchemaVersion,
            DateTimeOffset.UtcNow,
            Attempts: 1);
        LogStarting(started.Id, source.Database, work.Name);
        return (started, []);
    }

    private static async Task<(SourceFacts Source, DatabaseCatalog Catalog)> InspectAsync(string connectionString, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = PgConnectionEnvironment.ApplicationName };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return (await SourceFacts.ReadAsync(connection, cancellationToken), await DatabaseCatalog.ReadAsync(connection, cancellationToken));
    }

    private SnapshotRules LoadRules()
    {
        if (!string.IsNullOrWhiteSpace(options.Rules))
        {
            return RulesFile.Load(Path.GetFullPath(options.Rules), options.Rules);
        }

        var shipped = Path.Combine("rules", $"{options.Application}.json");
        var path = Path.Combine(AppContext.BaseDirectory, shipped);
        if (!File.Exists(path))
        {
            var known = Directory.Exists(Path.Combine(AppContext.BaseDirectory, "rules"))
                ? string.Join(", ", Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "rules"), "*.json").Select(Path.GetFileNameWithoutExtension))
                : "none";
            throw new SnapshotConfigurationException(
                $"No rules for application '{options.Application}': {shipped} is not shipped with the job (shipped: {known}). " +
                "Set Snapshot:Application to one of those, or Snapshot:Rules to the path of a rules file.");
        }

        return RulesFile.Load(path, shipped.Replace('\\', '/'));
    }

    private Activity? StartStepActivity(ISnapshotStep step)
    {
        var activity = telemetry.ActivitySource.StartActivity($"step {step.Number} {step.Name}");
        activity?.SetTag("snapshot.step", step.Name);
        activity?.SetTag("snapshot.step.number", step.Number);
        return activity;
    }

    private void Record(long started, string application, string? errorType)
    {
        var tags = new TagList { { "snapshot.application", application }, { "snapshot.outcome", errorType is null ? "success" : "failure" } };
        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        metrics.RunDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
    }

    private static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Rules} (version {Version}) classifies all {Columns} columns of the {Tables} tables in {Source}")]
    private partial void LogRulesFit(string rules, int version, int columns, int tables, string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "Using pg_dump {Version} ({Path}) for PostgreSQL {ServerVersion}")]
    private partial void LogTools(string version, string path, string serverVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Starting run {RunId}: copying {Source} into the work database {Work}")]
    private partial void LogStarting(Guid runId, string source, string work);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming run {RunId} (started {StartedAt:u}, attempt {Attempt}) in the work database {Work} after step {LastStep}")]
    private partial void LogResuming(Guid runId, DateTimeOffset startedAt, int attempt, string work, int lastStep);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not resuming from the work database {Work}: {Reason}. Dropping it and starting over")]
    private partial void LogStartingOver(string work, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Step {Number} {Name}: starting")]
    private partial void LogStepStarting(int number, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Step {Number} {Name}: done in {DurationMs} ms ({Rows} rows, {Tables} tables)")]
    private partial void LogStepDone(int number, string name, long durationMs, long rows, int tables);

    [LoggerMessage(Level = LogLevel.Information, Message = "Step {Number} {Name}: already done by an earlier attempt")]
    private partial void LogStepSkipped(int number, string name);

    [LoggerMessage(Level = LogLevel.Error, Message = "Step {Number} {Name} failed; {WhatNow}")]
    private partial void LogStepFailed(int number, string name, string whatNow);

    [LoggerMessage(Level = LogLevel.Information, Message = "Snapshot written: {Dump}, manifest {Manifest}; the work database {Work} is dropped")]
    private partial void LogWritten(string dump, string manifest, string work);
}
