using System.CommandLine;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using Lab.Checker.Processes;

namespace Lab.Checker.Checks.KafkaKeys;

/// <summary>
/// Exercise 05's second opinion: a hidden command of the checker that loads the learner's compiled KeyFor in a process
/// of its own and prints the key of every event, taking them in another order. A key that differs from the checker's
/// own for the same event (string.GetHashCode(), a random or a counter) would send an account to another partition
/// after a producer restarts, or from a second producer instance.
/// </summary>
public static class KeyHost
{
    public const string CommandName = "keys-05";

    public static Command Command()
    {
        var assembly = new Option<string>("--assembly") { Required = true };
        var seed = new Option<int>("--seed");
        var command = new Command(CommandName, "Computes exercise 05's keys in a process of its own for the checker (internal).") { assembly, seed };
        command.Hidden = true;
        command.SetAction(parse => Run(parse.GetValue(assembly)!, parse.GetValue(seed)));
        return command;
    }

    public static CheckerChildProcess Start(string assemblyPath, int seed) =>
        CheckerChildProcess.Start([CommandName, "--assembly", assemblyPath, "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture)], new Dictionary<string, string>());

    /// <summary>The keys printed by a child: event id to key (null for no key).</summary>
    public static Dictionary<Guid, string?> Parse(string output)
    {
        var keys = new Dictionary<Guid, string?>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = JsonSerializer.Deserialize<string?[]>(line);
            if (pair is [{ } id, var key] && Guid.TryParse(id, out var eventId))
            {
                keys[eventId] = key;
            }
        }

        return keys;
    }

    private static int Run(string assemblyPath, int seed)
    {
        try
        {
            var learner = AssemblyLoadContext.Default.LoadFromAssemblyPath(assemblyPath);
            var method = learner.GetExportedTypes().Where(type => type.Name == "EventKey")
                .Select(type => type.GetMethod("KeyFor", BindingFlags.Public | BindingFlags.Static)).First(found => found is not null)!;
            var keyFor = method.CreateDelegate<Func<AccountEvent, string?>>();

            // Another order than the checker's: a producer that restarted halfway sees the later events first.
            var events = KafkaKeysCheck.Events().ToList();
            new Random(seed).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(events));
            foreach (var accountEvent in events)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new[] { accountEvent.EventId.ToString(), keyFor(accountEvent) }));
            }

            return 0;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var error = ex is TargetInvocationException { InnerException: { } inner } ? inner : ex;
            Console.Error.WriteLine($"{error.GetType().Name}: {error.Message}");
            return 3;
        }
    }
}
