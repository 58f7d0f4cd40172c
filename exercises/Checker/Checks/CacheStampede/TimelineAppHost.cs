using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using Lab.Checker.Processes;
using Lab.Checker.Sql;
using Npgsql;
using StackExchange.Redis;

namespace Lab.Checker.Checks.CacheStampede;

/// <summary>A command the checker sends to one instance of the timeline service (a line of JSON on its standard input).</summary>
public sealed record AppRequest(string Op, int Batch, long User = 0, int Count = 0, string? Text = null, int ReadDelayMs = 0, long HangUser = 0, int CommitDelayMs = 0);

/// <summary>What an instance tells the checker (a line of JSON on its standard output): a reply, or an event of its store.</summary>
public sealed record AppMessage(string Kind, int Batch = 0, long User = 0, bool Ok = true, string? Value = null, string? Error = null, double Ms = 0);

/// <summary>
/// One instance of exercise 08's timeline service: a hidden command of the checker that loads the learner's
/// TimelineCache and calls it as the checker asks, many calls at once, with Redis behind the check's proxy and the
/// database behind a <see cref="TimelineStore"/> that reports each query. The checker runs several, and kills one.
/// </summary>
public static class TimelineAppHost
{
    public const string CommandName = "timeline-08";
    public const string TypeName = "TimelineCache";
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(20);
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public static Command Command()
    {
        var assembly = new Option<string>("--assembly") { Required = true };
        var redisPort = new Option<int>("--redis-port") { Required = true };
        var command = new Command(CommandName, "Runs one instance of exercise 08's timeline service for the checker (internal).") { assembly, redisPort };
        command.Hidden = true;
        command.SetAction((parse, token) => RunAsync(parse.GetValue(assembly)!, parse.GetValue(redisPort)));
        return command;
    }

    public static CheckerChildProcess Start(string assemblyPath, int redisProxyPort, string labDb, string redis, Action<string> output) =>
        CheckerChildProcess.Start(
            [CommandName, "--assembly", assemblyPath, "--redis-port", redisProxyPort.ToString(CultureInfo.InvariantCulture)],
            new Dictionary<string, string> { ["ConnectionStrings__labdb"] = labDb, ["ConnectionStrings__redis"] = redis },
            output);

    public static string Serialize(AppRequest request) => JsonSerializer.Serialize(request, s_json);

    public static AppMessage? Parse(string line)
    {
        try
        {
            return line.StartsWith('{') ? JsonSerializer.Deserialize<AppMessage>(line, s_json) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>ReadAsync and PostAsync with the shapes the checker calls, or null.</summary>
    public static (MethodInfo Read, MethodInfo Post)? FindMethods(Assembly assembly)
    {
        var type = assembly.GetExportedTypes().FirstOrDefault(candidate => candidate.Name == TypeName);
        var read = type?.GetMethod("ReadAsync", BindingFlags.Public | BindingFlags.Static);
        var post = type?.GetMethod("PostAsync", BindingFlags.Public | BindingFlags.Static);
        var readOk = read is not null && read.ReturnType == typeof(Task<string>)
            && read.GetParameters().Select(parameter => parameter.ParameterType).SequenceEqual([typeof(long), typeof(IDatabase), typeof(TimelineStore), typeof(CancellationToken)]);
        var postOk = post is not null && post.ReturnType == typeof(Task)
            && post.GetParameters().Select(parameter => parameter.ParameterType).SequenceEqual([typeof(long), typeof(string), typeof(IDatabase), typeof(TimelineStore), typeof(CancellationToken)]);
        return readOk && postOk ? (read!, post!) : null;
    }

    private static async Task<int> RunAsync(string assemblyPath, int redisPort)
    {
        // Dozens of calls start at once: threads enough that none waits for the pool to grow.
        ThreadPool.SetMinThreads(200, 200);
        var output = new Output();
        var labDb = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("ConnectionStrings__labdb"))
        {
            SearchPath = CacheStampedeCheck.Schema,
            ApplicationName = CacheStampedeCheck.ApplicationName,
            Timezone = "UTC",
            MaxPoolSize = 40,
        };
        var redisOptions = ConfigurationOptions.Parse(Environment.GetEnvironmentVariable("ConnectionStrings__redis")!);
        redisOptions.EndPoints.Clear();
        redisOptions.EndPoints.Add(new IPEndPoint(IPAddress.Loopback, redisPort));
        redisOptions.AbortOnConnectFail = false;
        redisOptions.ConnectTimeout = 1000;
        redisOptions.SyncTimeout = 3000;
        redisOptions.AsyncTimeout = 3000;
        redisOptions.ClientName = CacheStampedeCheck.ApplicationName;

        var methods = FindMethods(AssemblyLoadContext.Default.LoadFromAssemblyPath(assemblyPath))!.Value;
        await using var database = NpgsqlDataSource.Create(labDb.ConnectionString);
        using var redis = await ConnectionMultiplexer.ConnectAsync(redisOptions);
        var cache = redis.GetDatabase();
        var store = new TimelineStore(database, SqlResources.Read("Checks/CacheStampede/timeline.sql"), (kind, user) => output.Write(new AppMessage(kind, User: user)));
        output.Write(new AppMessage("ready"));

        var running = new List<Task>();
        while (await Console.In.ReadLineAsync() is { } line)
        {
            var request = JsonSerializer.Deserialize<AppRequest>(line, s_json)!;
            switch (request.Op)
            {
                case "set":
                    store.ReadDelay = TimeSpan.FromMilliseconds(request.ReadDelayMs);
                    store.HangingUser = request.HangUser;
                    store.CommitDelay = TimeSpan.FromMilliseconds(request.CommitDelayMs);
                    output.Write(new AppMessage("set", request.Batch));
                    break;
                case "read":
                    for (var i = 0; i < request.Count; i++)
                    {
                        running.Add(Task.Run(() => CallAsync(output, request, "read", async token =>
                            await (Task<string>)methods.Read.Invoke(null, [request.User, cache, store, token])!)));
                    }

                    break;
                case "post":
                    running.Add(Task.Run(() => CallAsync(output, request, "post", async token =>
                    {
                        await (Task)methods.Post.Invoke(null, [request.User, request.Text!, cache, store, token])!;
                        return null;
                    })));
                    break;
            }

            running.RemoveAll(task => task.IsCompleted);
        }

        return 0;
    }

    /// <summary>One call of the learner's code, time-boxed: an exception or a hang becomes a reply, never a crash.</summary>
    private static async Task CallAsync(Output output, AppRequest request, string kind, Func<CancellationToken, Task<string?>> call)
    {
        using var timeout = new CancellationTokenSource(CallTimeout);
        var clock = Stopwatch.StartNew();
        AppMessage reply;
        try
        {
            var task = call(timeout.Token);
            var value = await task.WaitAsync(CallTimeout + TimeSpan.FromSeconds(1));
            reply = new AppMessage(kind, request.Batch, request.User, true, value, null, clock.Elapsed.TotalMilliseconds);
        }
        catch (TimeoutException)
        {
            reply = new AppMessage(kind, request.Batch, request.User, false, null, $"no answer within {CallTimeout.TotalSeconds:0} s", clock.Elapsed.TotalMilliseconds);
        }
        catch (Exception ex)
        {
            var error = ex is TargetInvocationException { InnerException: { } inner } ? inner : ex;
            var message = timeout.IsCancellationRequested && error is OperationCanceledException
                ? $"no answer within {CallTimeout.TotalSeconds:0} s"
                : $"{error.GetType().Name}: {error.Message.Split('\n')[0].Trim()}";
            reply = new AppMessage(kind, request.Batch, request.User, false, null, message, clock.Elapsed.TotalMilliseconds);
        }

        output.Write(reply);
    }

    /// <summary>Standard output, one JSON message a line, written whole from any thread.</summary>
    private sealed class Output
    {
        private readonly Lock _gate = new();

        public void Write(AppMessage message)
        {
            var line = JsonSerializer.Serialize(message, s_json);
            lock (_gate)
            {
                Console.Out.WriteLine(line);
                Console.Out.Flush();
            }
        }
    }
}
