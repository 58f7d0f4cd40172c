using System.Net.Sockets;
using Npgsql;
using Snapshot.Job.Database;

namespace Snapshot.Job.Resilience;

/// <summary>
/// Which failures may pass if the same work is tried again: the connection could not be made or was lost, the server
/// is starting, stopping or full, or a transaction lost a race (serialization failure, deadlock). Everything else
/// (a wrong password, a missing database, a constraint violated, a bug) fails the run at once.
/// </summary>
internal static class TransientFailure
{
    private static readonly HashSet<string> s_sqlStates = new(StringComparer.Ordinal)
    {
        "08000", // connection_exception
        "08001", // sqlclient_unable_to_establish_sqlconnection
        "08003", // connection_does_not_exist
        "08004", // sqlserver_rejected_establishment_of_sqlconnection
        "08006", // connection_failure
        "40001", // serialization_failure
        "40P01", // deadlock_detected
        "53300", // too_many_connections
        "57P01", // admin_shutdown: the server is stopping, or pg_terminate_backend ended the session
        "57P02", // crash_shutdown
        "57P03", // cannot_connect_now: the server is starting
    };

    // What libpq and the server print for the same failures, as pg_dump and pg_restore show them (LC_ALL=C).
    private static readonly string[] s_toolMessages =
    [
        "Connection refused",
        "Connection reset by peer",
        "server closed the connection unexpectedly",
        "could not receive data from server",
        "could not send data to server",
        "no connection to the server",
        "connection to server was lost",
        "terminating connection due to administrator command",
        "the database system is starting up",
        "the database system is shutting down",
        "the database system is in recovery mode",
        "the database system is not yet accepting connections",
        "sorry, too many clients already",
        "remaining connection slots are reserved",
        "could not serialize access",
        "deadlock detected",
        "SSL SYSCALL error: EOF detected",
        "timeout expired",
    ];

    public static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException postgres => s_sqlStates.Contains(postgres.SqlState),
        NpgsqlException npgsql => npgsql.IsTransient,
        PgToolException tool => s_toolMessages.Any(message => tool.Error.Contains(message, StringComparison.OrdinalIgnoreCase)),
        // A network stream's IOException wraps the socket error; a file's (disk full, no access) is not transient.
        IOException { InnerException: SocketException } or SocketException or TimeoutException => true,
        _ => false,
    };

    /// <summary>A short reason for logs and metrics: the SQLSTATE, the tool, or the exception's type.</summary>
    public static string Reason(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState,
        PgToolException tool => tool.Tool,
        NpgsqlException { InnerException: { } inner } => inner.GetType().Name,
        _ => exception.GetType().Name,
    };
}
