using System.Diagnostics;

namespace Snapshot.Job.Database;

/// <summary>Runs pg_dump and pg_restore with a connection given as PG* environment variables, and reports their errors.</summary>
internal sealed class PgToolRunner(PgTools tools)
{
    public PgTools Tools { get; } = tools;

    /// <summary>
    /// Streams <c>pg_dump</c> of one database straight into <c>pg_restore</c> into another: no file holding the
    /// unmasked data is ever written to disk.
    /// </summary>
    public async Task PipeAsync(
        string sourceConnectionString,
        IEnumerable<string> dumpArguments,
        string targetConnectionString,
        IEnumerable<string> restoreArguments,
        CancellationToken cancellationToken)
    {
        using var dump = Start(Tools.PgDump, dumpArguments, sourceConnectionString, redirectOutput: true, redirectInput: false);
        var dumpError = dump.StandardError.ReadToEndAsync(CancellationToken.None);
        using var restore = Start(Tools.PgRestore, restoreArguments, targetConnectionString, redirectOutput: false, redirectInput: true);
        var restoreError = restore.StandardError.ReadToEndAsync(CancellationToken.None);

        try
        {
            try
            {
                await dump.StandardOutput.BaseStream.CopyToAsync(restore.StandardInput.BaseStream, cancellationToken);
                restore.StandardInput.Close();
            }
            catch (IOException)
            {
                // pg_restore stopped reading (it failed): stop pg_dump too; pg_restore's exit code and message say why.
                Kill(dump);
            }

            await dump.WaitForExitAsync(cancellationToken);
            await restore.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Kill(dump);
            Kill(restore);
            throw;
        }

        // pg_restore fails whenever pg_dump did (its input ends early); pg_dump's message names the real cause.
        if (dump.ExitCode != 0)
        {
            throw new PgToolException("pg_dump", dump.ExitCode, await dumpError);
        }

        if (restore.ExitCode != 0)
        {
            throw new PgToolException("pg_restore", restore.ExitCode, await restoreError);
        }
    }

    /// <summary>Runs <c>pg_dump</c> of a database into <paramref name="file"/>.</summary>
    public async Task DumpAsync(string connectionString, IEnumerable<string> arguments, string file, CancellationToken cancellationToken)
    {
        using var dump = Start(Tools.PgDump, [.. arguments, $"--file={file}"], connectionString, redirectOutput: false, redirectInput: false);
        var error = dump.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await dump.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Kill(dump);
            throw;
        }

        if (dump.ExitCode != 0)
        {
            throw new PgToolException("pg_dump", dump.ExitCode, await error);
        }
    }

    private static Process Start(string program, IEnumerable<string> arguments, string connectionString, bool redirectOutput, bool redirectInput)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = redirectOutput,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        PgConnectionEnvironment.Apply(start.Environment, connectionString);
        return Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
