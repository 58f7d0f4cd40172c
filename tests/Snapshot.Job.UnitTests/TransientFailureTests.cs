using System.Net.Sockets;
using Npgsql;
using Snapshot.Job.Database;
using Snapshot.Job.Resilience;

namespace Snapshot.Job.UnitTests;

public sealed class TransientFailureTests
{
    [Theory]
    [InlineData("53300")] // too_many_connections
    [InlineData("57P03")] // cannot_connect_now
    [InlineData("57P01")] // admin_shutdown
    [InlineData("40001")] // serialization_failure
    [InlineData("40P01")] // deadlock_detected
    [InlineData("08006")] // connection_failure
    public void Server_errors_that_may_pass_are_transient(string sqlState)
    {
        Assert.True(TransientFailure.IsTransient(new PostgresException("x", "FATAL", "FATAL", sqlState)));
    }

    [Theory]
    [InlineData("28P01")] // invalid_password
    [InlineData("3D000")] // invalid_catalog_name
    [InlineData("23505")] // unique_violation
    [InlineData("42P01")] // undefined_table
    public void Server_errors_that_will_not_pass_are_not(string sqlState)
    {
        Assert.False(TransientFailure.IsTransient(new PostgresException("x", "ERROR", "ERROR", sqlState)));
    }

    [Fact]
    public void Lost_and_refused_connections_are_transient()
    {
        Assert.True(TransientFailure.IsTransient(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.True(TransientFailure.IsTransient(new IOException("reset", new SocketException((int)SocketError.ConnectionReset))));
        Assert.True(TransientFailure.IsTransient(new SocketException((int)SocketError.ConnectionReset)));
        Assert.False(TransientFailure.IsTransient(new InvalidOperationException("bug")));
    }

    [Fact]
    public void File_system_errors_are_not_transient()
    {
        Assert.False(TransientFailure.IsTransient(new IOException("No space left on device")));
        Assert.False(TransientFailure.IsTransient(new UnauthorizedAccessException("Access to the path is denied.")));
    }

    [Theory]
    [InlineData("pg_dump: error: connection to server at \"127.0.0.1\", port 5432 failed: Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?", true)]
    [InlineData("pg_dump: error: Dumping the contents of table \"chirps\" failed: PQgetCopyData() failed.\npg_dump: detail: Error message from server: server closed the connection unexpectedly", true)]
    [InlineData("pg_restore: error: could not execute query: FATAL:  terminating connection due to administrator command", true)]
    [InlineData("pg_dump: error: connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  sorry, too many clients already", true)]
    [InlineData("pg_dump: error: connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  password authentication failed for user \"postgres\"", false)]
    [InlineData("pg_dump: error: aborting because of server version mismatch", false)]
    public void Tool_failures_are_classified_by_what_libpq_printed(string error, bool transient)
    {
        Assert.Equal(transient, TransientFailure.IsTransient(new PgToolException("pg_dump", 1, error)));
    }
}
