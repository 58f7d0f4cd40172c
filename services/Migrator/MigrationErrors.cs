using System.Net.Sockets;
using System.Text.RegularExpressions;
using EvolveDb;
using EvolveDb.Migration;
using Npgsql;

namespace Migrator;

/// <summary>
/// Evolve's errors in the Migrator's words: which file, what went wrong, what to do. Evolve says which file only in its
/// messages, so these patterns follow Evolve 3.2.0's wording; the tests of each case notice when an upgrade changes it.
/// </summary>
internal static partial class MigrationErrors
{
    /// <summary>
    /// The exception to throw instead of <paramref name="exception"/>: a <see cref="MigrationException"/>, or the
    /// <see cref="NpgsqlException"/> inside it when the server went away (not a problem of the migrations).
    /// </summary>
    /// <param name="scripts">The migration files as Evolve loaded them (to tell whether the failed one ran in a transaction).</param>
    public static Exception Explain(string database, EvolveException exception, Func<IEnumerable<MigrationScript>> scripts)
    {
        var postgres = Find<PostgresException>(exception);
        if (postgres is null && FindConnectionFailure(exception) is { } connectionFailure)
        {
            return connectionFailure;
        }

        var evolveMessage = exception.Message;
        if (ChangedChecksum().Match(evolveMessage) is { Success: true } changed)
        {
            var file = changed.Groups["file"].Value;
            return new MigrationException(
                $"{database}: {file} changed after it was applied (its checksum differs from the one in schema_migrations). " +
                "An applied migration is immutable: revert the edit and add a new migration instead.",
                exception);
        }

        if (OutOfOrder().Match(evolveMessage) is { Success: true } outOfOrder)
        {
            var file = outOfOrder.Groups["file"].Value;
            return new MigrationException(
                $"{database}: {file} is pending, but a newer version is already applied. It probably came from a branch " +
                "merged late: renumber it after the newest applied migration.",
                exception);
        }

        if (FailedScript().Match(evolveMessage) is { Success: true } failed)
        {
            var file = failed.Groups["file"].Value;
            var reason = postgres is null
                ? Innermost(exception).Message
                : $"{postgres.MessageText} (SQLSTATE {postgres.SqlState}{(postgres.Position > 0 ? $", at character {postgres.Position}" : "")})";
            var inTransaction = scripts().FirstOrDefault(script => script.Name == file)?.IsTransactionEnabled ?? true;
            var message = inTransaction
                ? $"{database}: {file} failed and was rolled back: {reason}. Nothing of it is applied: fix the file and run the Migrator again."
                : $"{database}: {file} failed: {reason}. It runs without a transaction (evolve-tx-off), so what it did before " +
                  "the error stays: look at the database, undo or finish that part, then run the Migrator again.";
            if (postgres?.SqlState == PostgresErrorCodes.ActiveSqlTransaction)
            {
                message += " A statement that cannot run in a transaction (CREATE INDEX CONCURRENTLY) goes alone in a file whose " +
                    "first line is `-- evolve-tx-off`.";
            }

            return new MigrationException(message, exception);
        }

        // Evolve's message already carries its inner exceptions' messages.
        return new MigrationException($"{database}: {evolveMessage}", exception);
    }

    private static Exception? FindConnectionFailure(Exception exception)
    {
        for (var current = exception.InnerException; current is not null; current = current.InnerException)
        {
            if (current is NpgsqlException or SocketException or TimeoutException)
            {
                return current;
            }
        }

        return null;
    }

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static Exception Innermost(Exception exception)
    {
        var current = exception;
        while (current.InnerException is not null)
        {
            current = current.InnerException;
        }

        return current;
    }

    // Evolve appends the inner exceptions' messages to its own, so the patterns match the start only.
    [GeneratedRegex(@"^Validate failed: invalid checksum for migration: (?<file>\S+?)\.(\s|$)")]
    private static partial Regex ChangedChecksum();

    [GeneratedRegex(@"^Validation failed: Out of order pending migration found: (?<file>\S+?)\.(\s|$)")]
    private static partial Regex OutOfOrder();

    [GeneratedRegex(@"^Error executing script: (?<file>\S+) after [0-9]+ ms\.")]
    private static partial Regex FailedScript();
}
