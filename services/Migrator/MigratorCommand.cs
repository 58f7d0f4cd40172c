using System.Net.Sockets;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Migrator.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Migrator;

/// <summary>The console program: migrate (or report on) each selected database, print what happened, return an exit code.</summary>
internal static class MigratorCommand
{
    public static async Task<int> RunAsync(string[] databases, bool statusOnly, CancellationToken cancellationToken)
    {
        var selected = databases.Length == 0 ? DatabaseMigrator.Databases : databases.Distinct(StringComparer.Ordinal).ToList();
        var unknown = selected.Except(DatabaseMigrator.Databases, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            await Console.Error.WriteLineAsync(
                $"Unknown database {string.Join(", ", unknown)}: the Migrator knows {string.Join(", ", DatabaseMigrator.Databases)}.");
            return ExitCodes.InvalidArguments;
        }

        var builder = Host.CreateApplicationBuilder();
        builder.AddServiceDefaults();
        // The console shows what was applied; Npgsql's per-command and the host's lifetime lines would bury it.
        builder.Logging.AddFilter("Npgsql", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        using var host = builder.Build();

        // Every connection string is checked before anything runs, so a run never stops halfway for a missing one.
        var configuration = host.Services.GetRequiredService<IConfiguration>();
        var connectionStrings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var database in selected)
        {
            var connectionString = configuration.GetConnectionString(database);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                await Console.Error.WriteLineAsync(
                    $"No connection string for {database}: set the environment variable ConnectionStrings__{database}. " +
                    "Aspire sets it for you; in native mode run `scripts/infra up`, then `set -a; . .sandbox/env; set +a`.");
                return ExitCodes.MissingConnectionString;
            }

            connectionStrings[database] = connectionString;
        }

        await host.StartAsync(cancellationToken);
        try
        {
            var loggerFactory = host.Services.GetRequiredService<ILoggerFactory>();
            var exitCode = ExitCodes.Success;
            foreach (var database in selected)
            {
                var dataSourceBuilder = new NpgsqlDataSourceBuilder(connectionStrings[database]);
                dataSourceBuilder.UseLoggerFactory(loggerFactory);
                await using var dataSource = dataSourceBuilder.Build();
                var options = new MigrationOptions { Logger = loggerFactory.CreateLogger(typeof(DatabaseMigrator)) };
                var result = await RunOneAsync(dataSource, database, options, statusOnly, cancellationToken);
                if (result != ExitCodes.Success)
                {
                    exitCode = result;
                    if (!statusOnly)
                    {
                        break;
                    }
                }
            }

            if (exitCode == ExitCodes.Success && !statusOnly && databases.Length == 0)
            {
                exitCode = await EnsureKafkaTopicsAsync(configuration.GetConnectionString("kafka"), cancellationToken);
            }

            return exitCode;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<int> EnsureKafkaTopicsAsync(string? bootstrapServers, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(bootstrapServers))
        {
            Console.WriteLine("kafka: no ConnectionStrings__kafka, topics not checked");
            return ExitCodes.Success;
        }

        try
        {
            var report = await KafkaTopicProvisioner.EnsureAsync(bootstrapServers, KafkaTopic.All, TimeSpan.FromSeconds(30), cancellationToken);
            foreach (var topic in report.Created)
            {
                Console.WriteLine($"kafka: created topic {topic}");
            }

            Console.WriteLine($"kafka: {report.AlreadyPresent.Count + report.Created.Count} topics present ({report.Created.Count} created now)");
            return ExitCodes.Success;
        }
        catch (KafkaException ex)
        {
            await Console.Error.WriteLineAsync(
                $"kafka: cannot check or create the topics at {bootstrapServers}: {ex.Error.Reason}. " +
                "Is the broker running? In native mode: `scripts/infra status`.");
            return ExitCodes.ServerUnreachable;
        }
    }

    private static async Task<int> RunOneAsync(
        NpgsqlDataSource dataSource,
        string database,
        MigrationOptions options,
        bool statusOnly,
        CancellationToken cancellationToken)
    {
        try
        {
            if (statusOnly)
            {
                var status = await DatabaseMigrator.GetStatusAsync(dataSource, database, options, cancellationToken);
                MigrationOutput.WriteStatus(Console.Out, status);
                return status.Pending.Count == 0 && status.Problems.Count == 0 ? ExitCodes.Success : ExitCodes.NotUpToDate;
            }

            var report = await DatabaseMigrator.MigrateAsync(dataSource, database, options, cancellationToken);
            MigrationOutput.WriteReport(Console.Out, report);
            return ExitCodes.Success;
        }
        catch (MigrationException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return ExitCodes.MigrationFailed;
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException)
        {
            var target = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
            var reason = ex is PostgresException postgres ? $"{postgres.MessageText} (SQLSTATE {postgres.SqlState})" : ex.Message;
            await Console.Error.WriteLineAsync(
                $"{database}: cannot use PostgreSQL at {target.Host}:{target.Port}, database '{target.Database}': {reason}. " +
                "Is the server running? In native mode: `scripts/infra status`.");
            return ExitCodes.ServerUnreachable;
        }
    }
}
