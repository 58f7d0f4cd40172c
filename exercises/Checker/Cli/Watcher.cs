using System.Security.Cryptography;
using Lab.Checker.Manifest;
using Lab.Checker.Verification;

namespace Lab.Checker.Cli;

/// <summary>
/// The edit-save-verdict loop: checks the exercise, then waits for one of its files to change and checks again;
/// after a pass it moves on to the next exercise. It compares file contents every half second rather than
/// listening for file-system events, which editors that save through a temporary file and a rename, network
/// folders and containers all report differently.
/// </summary>
public sealed class Watcher(LabSession session)
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan s_settle = TimeSpan.FromMilliseconds(300);

    public async Task<int> RunAsync(Exercise? exercise, CancellationToken cancellationToken)
    {
        if (exercise is null)
        {
            session.Console.Out.WriteLine("All exercises are done. Well done.");
            return LabApp.Passed;
        }

        var lastExit = LabApp.Failed;
        var verifyNow = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            var snapshot = Snapshot(exercise);
            if (verifyNow)
            {
                var verdict = await session.VerifyAsync(exercise, cancellationToken);
                lastExit = verdict.ExitCode;
                if (verdict.Passed)
                {
                    var next = session.Manifest.Exercises.FirstOrDefault(candidate => candidate.Number > exercise.Number);
                    if (next is null)
                    {
                        return LabApp.Passed;
                    }

                    exercise = next;
                    snapshot = Snapshot(exercise);
                }
            }

            PrintWaiting(exercise);
            var action = await WaitAsync(exercise, snapshot, cancellationToken);
            switch (action)
            {
                case WatchAction.Quit:
                    return lastExit;
                case WatchAction.Hint:
                    Commands.Hint(session, exercise.Number, inWatch: true);
                    verifyNow = false;
                    break;
                case WatchAction.List:
                    Commands.List(session);
                    verifyNow = false;
                    break;
                default:
                    verifyNow = true;
                    break;
            }
        }

        return lastExit;
    }

    private void PrintWaiting(Exercise exercise)
    {
        var files = string.Join(", ", exercise.Files.Select(exercise.DisplayPath));
        var keys = session.Console.Interactive ? " Keys: r check now, h hint, l list, q quit." : string.Empty;
        ReportRenderer.Write(new Report().Blank().Muted($"Watching {files}: save to check again.{keys}"), session.Console);
    }

    private async Task<WatchAction> WaitAsync(Exercise exercise, string snapshot, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var key = ReadKey();
            if (key is not null)
            {
                return key.Value;
            }

            await Task.Delay(s_poll, cancellationToken);
            var current = Snapshot(exercise);
            if (current != snapshot)
            {
                // Wait for the editor to finish writing: the content must hold still for a moment.
                do
                {
                    snapshot = current;
                    await Task.Delay(s_settle, cancellationToken);
                    current = Snapshot(exercise);
                }
                while (current != snapshot);
                return WatchAction.Check;
            }
        }

        return WatchAction.Quit;
    }

    private WatchAction? ReadKey()
    {
        if (!session.Console.Interactive || !Console.KeyAvailable)
        {
            return null;
        }

        return char.ToLowerInvariant(Console.ReadKey(intercept: true).KeyChar) switch
        {
            'q' => WatchAction.Quit,
            'h' => WatchAction.Hint,
            'l' => WatchAction.List,
            'r' or '\r' or '\n' => WatchAction.Check,
            _ => null,
        };
    }

    private string Snapshot(Exercise exercise)
    {
        var directory = session.Manifest.DirectoryOf(exercise);
        var hashes = exercise.Files.Select(file =>
        {
            var path = Path.Combine(directory, file);
            try
            {
                return File.Exists(path) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))) : "missing";
            }
            catch (IOException)
            {
                return "busy";
            }
        });
        return string.Join('|', hashes);
    }

    private enum WatchAction
    {
        Check,
        Hint,
        List,
        Quit,
    }
}
