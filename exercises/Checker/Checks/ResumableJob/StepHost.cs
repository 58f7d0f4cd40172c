using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using Lab.Checker.Processes;
using Npgsql;

namespace Lab.Checker.Checks.ResumableJob;

/// <summary>
/// The process exercise 07 kills: a hidden command of the checker that loads the learner's compiled step and runs it
/// once against the work copy, through a <see cref="CommitTripwire"/>, until it returns or is killed.
/// </summary>
public static class StepHost
{
    public const string CommandName = "mask-07";
    public const string ApplicationName = "lab07-step";
    public const string KilledAfterCommit = "lab07: killed just after a commit";
    public const string TypeName = "MaskingStep";
    public const string MethodName = "RunAsync";

    public static Command Command()
    {
        var assembly = new Option<string>("--assembly") { Required = true };
        var schema = new Option<string>("--schema") { Required = true };
        var sleepAt = new Option<long>("--sleep-at");
        var armAt = new Option<long>("--arm-at");
        var command = new Command(CommandName, "Runs exercise 07's masking step for the checker (internal).") { assembly, schema, sleepAt, armAt };
        command.Hidden = true;
        command.SetAction((parse, token) => RunAsync(parse.GetValue(assembly)!, parse.GetValue(schema)!, parse.GetValue(sleepAt), parse.GetValue(armAt)));
        return command;
    }

    /// <summary>One run of the learner's step in a process of its own, with the crash points of <see cref="MaskingScenario"/> (0: none).</summary>
    public static CheckerChildProcess Start(string assemblyPath, string schema, long sleepAt, long armAt, string labDb) =>
        CheckerChildProcess.Start(
            [
                CommandName,
                "--assembly", assemblyPath,
                "--schema", schema,
                "--sleep-at", sleepAt.ToString(CultureInfo.InvariantCulture),
                "--arm-at", armAt.ToString(CultureInfo.InvariantCulture),
            ],
            new Dictionary<string, string> { ["ConnectionStrings__labdb"] = labDb });

    /// <summary>The step's method, if the learner's assembly has it with the shape the checker calls.</summary>
    public static MethodInfo? FindRun(Assembly assembly)
    {
        var run = assembly.GetExportedTypes()
            .Where(type => type.Name == TypeName)
            .Select(type => type.GetMethod(MethodName, BindingFlags.Public | BindingFlags.Static))
            .FirstOrDefault(method => method is not null);
        return run is not null && typeof(Task).IsAssignableFrom(run.ReturnType)
            && run.GetParameters() is [{ ParameterType: var work }, { ParameterType: var token }]
            && work == typeof(NpgsqlDataSource) && token == typeof(CancellationToken)
                ? run
                : null;
    }

    private static async Task<int> RunAsync(string assemblyPath, string schema, long sleepAt, long armAt)
    {
        var server = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("ConnectionStrings__labdb"));
        await using var tripwire = CommitTripwire.Start(server.Host!, server.Port, DieAfterCommit);
        var work = new NpgsqlConnectionStringBuilder(server.ConnectionString)
        {
            Host = "127.0.0.1",
            Port = tripwire.Port,

            // The tripwire reads the protocol: plain TCP on loopback, to a relay in this very process.
            SslMode = SslMode.Disable,
            GssEncryptionMode = GssEncryptionMode.Disable,
            SearchPath = schema,
            ApplicationName = ApplicationName,
            Timezone = "UTC",
            CommandTimeout = 0,
            Options = $"-c lab07.sleep_at={sleepAt} -c lab07.arm_at={armAt}",
        };

        try
        {
            var run = FindRun(AssemblyLoadContext.Default.LoadFromAssemblyPath(assemblyPath))!;
            await using var dataSource = NpgsqlDataSource.Create(work.ConnectionString);
            await (Task)run.Invoke(null, [dataSource, CancellationToken.None])!;
            return 0;
        }
        catch (Exception ex)
        {
            var error = ex is TargetInvocationException { InnerException: { } inner } ? inner : ex;
            await Console.Error.WriteLineAsync($"{error.GetType().Name}: {error.Message}");
            var frames = error.StackTrace?.Split('\n') ?? [];
            await Console.Error.WriteLineAsync((frames.FirstOrDefault(frame => frame.Contains(TypeName, StringComparison.Ordinal)) ?? frames.FirstOrDefault())?.Trim());
            return 3;
        }
    }

    /// <summary>SIGKILL, as a crash is: no finally blocks, no rollback sent, no chance to record anything more.</summary>
    private static void DieAfterCommit()
    {
        Console.Error.WriteLine(KilledAfterCommit);
        Console.Error.Flush();
        Process.GetCurrentProcess().Kill();
    }
}
