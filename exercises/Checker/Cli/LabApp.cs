using System.CommandLine;
using Lab.Checker.Checks.AtLeastOnce;
using Lab.Checker.Checks.CacheStampede;
using Lab.Checker.Checks.HealthProbes;
using Lab.Checker.Checks.ResumableJob;
using Lab.Checker.Checks.TransactionalOutbox;

namespace Lab.Checker.Cli;

/// <summary>The command line: list, verify, watch, hint, reset, solution. Exit codes: 0 pass, 1 fail, 2 usage or infrastructure.</summary>
public static class LabApp
{
    public const int Passed = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    public static async Task<int> RunAsync(string[] args, LabConsole console, CancellationToken cancellationToken)
    {
        var rootOption = new Option<string?>("--root") { Description = "The repository root (default: found from the current folder).", Recursive = true, Hidden = true };
        var progressOption = new Option<string?>("--progress") { Description = "The progress file (default: .sandbox/progress.json).", Recursive = true, Hidden = true };
        var number = new Argument<int>("number") { Description = "The exercise number, as in the list: 1 or 01." };
        var optionalNumber = new Argument<int?>("number") { Description = "The exercise to start from (default: the current one).", Arity = ArgumentArity.ZeroOrOne };
        var yes = new Option<bool>("--yes", "-y") { Description = "Do it without asking." };

        var root = new RootCommand("The exercise checker of Backend Sandbox. Without a command: watch.");
        root.Options.Add(rootOption);
        root.Options.Add(progressOption);

        LabSession Session(ParseResult parse) =>
            new(LabPaths.Resolve(parse.GetValue(rootOption), parse.GetValue(progressOption)), console);

        var list = new Command("list", "The exercises in order: done, current, pending.");
        list.SetAction(parse => Commands.List(Session(parse)));

        var verify = new Command("verify", "Check an exercise against the real infrastructure.") { number };
        verify.SetAction((parse, token) => Commands.VerifyAsync(Session(parse), parse.GetValue(number), token));

        var watch = new Command("watch", "Re-check the current exercise each time you save one of its files.") { optionalNumber };
        watch.SetAction((parse, token) => Commands.WatchAsync(Session(parse), parse.GetValue(optionalNumber), token));

        var hint = new Command("hint", "Show one more hint for an exercise.") { number };
        hint.SetAction(parse => Commands.Hint(Session(parse), parse.GetValue(number)));

        var reset = new Command("reset", "Put an exercise's files and infrastructure state back to the start.") { number };
        reset.SetAction((parse, token) => Commands.ResetAsync(Session(parse), parse.GetValue(number), token));

        var solution = new Command("solution", "Show the reference solution (after passing, or with --yes).") { number, yes };
        solution.SetAction(parse => Commands.Solution(Session(parse), parse.GetValue(number), parse.GetValue(yes)));

        root.Subcommands.Add(list);
        root.Subcommands.Add(verify);
        root.Subcommands.Add(watch);
        root.Subcommands.Add(hint);
        root.Subcommands.Add(reset);
        root.Subcommands.Add(solution);
        root.Subcommands.Add(ConsumerHost.Command());
        root.Subcommands.Add(StepHost.Command());
        root.Subcommands.Add(Checks.KafkaKeys.KeyHost.Command());
        root.Subcommands.Add(TimelineAppHost.Command());
        root.Subcommands.Add(HealthServiceHost.Command());
        root.Subcommands.Add(RelayHost.Command());
        root.SetAction((parse, token) => console.Interactive
            ? Commands.WatchAsync(Session(parse), null, token)
            : Task.FromResult(Commands.List(Session(parse))));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                console.Out.WriteLine(error.Message);
            }

            console.Out.WriteLine($"Try: {Verification.LabCommand.Of("--help")}");
            return Usage;
        }

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = console.Out, Error = console.Status, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (LabUsageException ex)
        {
            console.Out.WriteLine(ex.Message);
            return Usage;
        }
        catch (OperationCanceledException)
        {
            console.Out.WriteLine("Stopped.");
            return Usage;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Not the learner's doing: say so plainly, and keep the details for whoever fixes the checker.
            console.Status.WriteLine(ex.ToString());
            console.Out.WriteLine($"The checker itself failed ({ex.GetType().Name}: {ex.Message}). The details are above; please report them.");
            return Usage;
        }
    }
}
