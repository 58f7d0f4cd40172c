using System.Diagnostics;
using Lab.Checker.Infrastructure;
using Lab.Checker.Sql;
using Lab.Checker.Verification;
using Npgsql;

namespace Lab.Checker.Checks.ExpandContract;

/// <summary>One stretch of the rollout: a learner file being applied (and a moment after it), or the fleet serving as it is.</summary>
public sealed record RolloutEntry(string Label, TimeSpan Start, TimeSpan End, StepRun? Step, bool N, bool NPlus1);

/// <summary>The table after the last step, as the catalog describes it.</summary>
public sealed record FinalState(bool HasName, bool HasDisplayName, bool NameNotNull, string Triggers);

/// <summary>Everything one rollout on one dataset produced, for the verdict.</summary>
public sealed record RolloutResult(
    ExpandContractCheck.Scenario Scenario,
    IReadOnlyList<RolloutEntry> Entries,
    VersionLoops N,
    VersionLoops NPlus1,
    LockWaitSampler Waits,
    TimeSpan TableScan,
    FinalState? Final,
    IReadOnlyList<(long User, string? Actual, UserLedger.Entry Expected)> LostWrites,
    (long Missing, long Wrong, long? FirstWrong) Untouched);

/// <summary>
/// Exercise 09's rollout, in the order a rolling update applies it: version N serves alone; the expand, backfill and
/// switch steps run under its traffic; N+1 starts beside N; N+1 is rolled back (N alone again) and rolled forward;
/// N stops; the contract step runs under N+1's traffic. Both versions' queries run throughout, against the ledger of
/// what was acknowledged; a sampler records every lock wait.
/// </summary>
public sealed class RollingUpdate(CheckContext context, ExpandContractCheck.Scenario scenario, IReadOnlyDictionary<string, (string Sql, string DisplayPath)> files, int seed)
{
    public const int HotUsers = 200;
    private static readonly TimeSpan s_baseline = TimeSpan.FromMilliseconds(600);
    private static readonly TimeSpan s_afterStep = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan s_phase = TimeSpan.FromMilliseconds(700);

    private CheckContext Context => context;

    public async Task<RolloutResult> RunAsync(CancellationToken cancellationToken)
    {
        var infrastructure = Context.Infrastructure;
        await WorkingCopy.RebuildAsync(Context, scenario.Data, scenario.Schema, "Checks/ExpandContract/working_copy.sql", cancellationToken);
        await using var connection = new NpgsqlConnection(infrastructure.LabDbConnectionString("lab-checker", scenario.Schema));
        await connection.OpenAsync(cancellationToken);
        var scanBefore = await TableScanAsync(connection, cancellationToken);
        var ledger = new UserLedger(await HotUsersAsync(connection, cancellationToken));
        await using var count = new NpgsqlCommand("SELECT count(*) FROM users", connection);
        var rows = (long)(await count.ExecuteScalarAsync(cancellationToken))!;

        var clock = Stopwatch.StartNew();
        var entries = new List<RolloutEntry>();
        await using var n = new VersionLoops(AppVersion.N, infrastructure.LabDbConnectionString("lab09-n", scenario.Schema), ledger, clock, seed);
        await using var nPlus1 = new VersionLoops(AppVersion.NPlus1, infrastructure.LabDbConnectionString("lab09-n1", scenario.Schema), ledger, clock, seed + 1);
        var waits = new LockWaitSampler(infrastructure.LabDbConnectionString("lab-checker"), ["lab09-n", "lab09-n1"], clock);
        var migrations = new MigrationSteps(infrastructure.LabDbConnectionString(MigrationSteps.ApplicationName, scenario.Schema), clock);
        await using (waits)
        {
            waits.Start();
            n.Start();
            await PhaseAsync("N serves alone", s_baseline);

            var failed = false;
            foreach (var file in ExpandContractCheck.Files.Take(3))
            {
                if (!await StepAsync(file))
                {
                    failed = true;
                    break;
                }
            }

            if (!failed)
            {
                nPlus1.Start();
                await PhaseAsync("rolling update: N+1 starts beside N", s_phase);
                await nPlus1.StopAsync();
                await PhaseAsync("rollback: N+1 stops, N serves alone", s_phase);
                nPlus1.Start();
                await PhaseAsync("roll forward: N and N+1", s_phase);
                await n.StopAsync();
                await PhaseAsync("N stops: N+1 serves alone", s_phase);
                await StepAsync(ExpandContractCheck.Files[3]);
            }

            await n.StopAsync();
            await nPlus1.StopAsync();
        }

        var scanAfter = await TableScanAsync(connection, cancellationToken);
        var final = await FinalStateAsync(connection, cancellationToken);
        var lost = final.HasName ? await LostWritesAsync(connection, ledger, cancellationToken) : [];
        var untouched = final.HasName ? await UntouchedAsync(connection, ledger, cancellationToken) : (0, 0, null);
        return new RolloutResult(scenario, entries, n, nPlus1, waits, (scanBefore + scanAfter) / 2, final, lost, untouched);

        async Task PhaseAsync(string label, TimeSpan length)
        {
            var start = clock.Elapsed;
            await Task.Delay(length, cancellationToken);
            entries.Add(new RolloutEntry(label, start, clock.Elapsed, null, n.Running, nPlus1.Running));
        }

        async Task<bool> StepAsync(string file)
        {
            var start = clock.Elapsed;
            Context.Status($"{scenario.Label}: applying {file} while {(n.Running ? nPlus1.Running ? "N and N+1 serve" : "N serves" : "N+1 serves")}...");
            var (sql, displayPath) = files[file];
            var step = await migrations.ApplyAsync(file, displayPath, sql, repeatUntilDone: file == ExpandContractCheck.Files[1], rows, cancellationToken);
            await Task.Delay(s_afterStep, cancellationToken);
            entries.Add(new RolloutEntry(file, start, clock.Elapsed, step, n.Running, nPlus1.Running));
            return step.Error is null && !step.Endless;
        }
    }

    /// <summary>How long one full read of the table takes here and now: the yardstick for "a lock held too long".</summary>
    private static async Task<TimeSpan> TableScanAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var times = new List<TimeSpan>();
        for (var i = 0; i < 3; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            await using var scan = new NpgsqlCommand("SELECT sum(length(email)) FROM users", connection) { CommandTimeout = 0 };
            await scan.ExecuteScalarAsync(cancellationToken);
            times.Add(stopwatch.Elapsed);
        }

        return times.Order().ElementAt(1);
    }

    private async Task<Dictionary<long, string>> HotUsersAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT id, display_name FROM users ORDER BY md5(id::text || $1::text) LIMIT $2", connection);
        command.Parameters.AddWithValue(seed);
        command.Parameters.AddWithValue(HotUsers);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var users = new Dictionary<long, string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            users[reader.GetInt64(0)] = reader.GetString(1);
        }

        return users;
    }

    private static async Task<FinalState> FinalStateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(SqlResources.Read("Checks/ExpandContract/final_state.sql"), connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new FinalState(reader.GetBoolean(0), reader.GetBoolean(1), reader.GetBoolean(2), reader.GetString(3));
    }

    private static async Task<List<(long, string?, UserLedger.Entry)>> LostWritesAsync(NpgsqlConnection connection, UserLedger ledger, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT id, name FROM users WHERE id = ANY($1)", connection);
        command.Parameters.AddWithValue(ledger.Entries.Keys.ToArray());
        var actual = new Dictionary<long, string?>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                actual[reader.GetInt64(0)] = reader.IsDBNull(1) ? null : reader.GetString(1);
            }
        }

        return [.. ledger.Entries
            .Where(entry => !actual.TryGetValue(entry.Key, out var value) || value != entry.Value.Value)
            .OrderBy(entry => entry.Value.At)
            .Select(entry => (entry.Key, actual.GetValueOrDefault(entry.Key), entry.Value))];
    }

    private async Task<(long, long, long?)> UntouchedAsync(NpgsqlConnection connection, UserLedger ledger, CancellationToken cancellationToken)
    {
        var sql = SqlResources.Read("Checks/ExpandContract/untouched_rows.sql", new Dictionary<string, object> { ["source"] = scenario.Data.Schema });
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        command.Parameters.AddWithValue(ledger.Entries.Keys.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2));
    }
}
