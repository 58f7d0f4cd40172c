using System.Globalization;
using Npgsql;

namespace Snapshot.Job.Database;

/// <summary>
/// Turns an Npgsql connection string into the PG* environment variables pg_dump and pg_restore (libpq) read, so the
/// password never appears on a command line, where any user of the machine could see it.
/// </summary>
internal static class PgConnectionEnvironment
{
    public const string ApplicationName = "snapshot-job";

    public static void Apply(IDictionary<string, string?> environment, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);

        // Only what this connection string says: PGSERVICE, PGOPTIONS and the like from the job's own environment could
        // point the tools elsewhere.
        foreach (var key in environment.Keys.Where(key => key.StartsWith("PG", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            environment.Remove(key);
        }

        Set(environment, "PGHOST", builder.Host);
        Set(environment, "PGPORT", builder.Port.ToString(CultureInfo.InvariantCulture));
        Set(environment, "PGUSER", builder.Username);
        Set(environment, "PGPASSWORD", builder.Password);
        Set(environment, "PGDATABASE", builder.Database);
        Set(environment, "PGAPPNAME", ApplicationName);
        Set(environment, "PGCONNECT_TIMEOUT", builder.Timeout.ToString(CultureInfo.InvariantCulture));
        Set(environment, "PGSSLMODE", builder.SslMode switch
        {
            SslMode.Disable => "disable",
            SslMode.Allow => "allow",
            SslMode.Require => "require",
            SslMode.VerifyCA => "verify-ca",
            SslMode.VerifyFull => "verify-full",
            _ => "prefer",
        });

        // The tools' own messages in English, so transient failures are recognized by their text (TransientFailure).
        environment["LC_ALL"] = "C";
        environment["LC_MESSAGES"] = "C";
    }

    private static void Set(IDictionary<string, string?> environment, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            environment[key] = value;
        }
    }
}
