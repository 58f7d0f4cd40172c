using System.CommandLine;

namespace Migrator;

/// <summary>
/// The entry point: <c>Migrator [--database appdb|auditdb]... [--status]</c>. A named class (not top-level statements), so
/// projects that reference the Migrator for <see cref="DatabaseMigrator"/> never see a second public <c>Program</c>.
/// </summary>
internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        var databaseOption = new Option<string[]>("--database", "-d")
        {
            Description = $"Only this database ({string.Join(" or ", DatabaseMigrator.Databases)}); may be repeated. Default: all, in that order.",
            AllowMultipleArgumentsPerToken = true,
        };
        var statusOption = new Option<bool>("--status")
        {
            Description = "List applied and pending migrations without changing anything.",
        };
        var root = new RootCommand("Applies the versioned SQL migrations in migrations/<database>/ to appdb and auditdb, then exits.")
        {
            databaseOption,
            statusOption,
        };
        root.SetAction((parseResult, cancellationToken) => MigratorCommand.RunAsync(
            parseResult.GetValue(databaseOption) ?? [],
            parseResult.GetValue(statusOption),
            cancellationToken));

        return root.Parse(args).InvokeAsync();
    }
}
