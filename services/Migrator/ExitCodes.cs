namespace Migrator;

/// <summary>The Migrator's exit codes; anything but <see cref="Success"/> means the schema is not where the code needs it.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int MigrationFailed = 1;
    public const int InvalidArguments = 2;
    public const int MissingConnectionString = 3;
    public const int ServerUnreachable = 4;
    /// <summary>--status found pending migrations or problems.</summary>
    public const int NotUpToDate = 5;
}
