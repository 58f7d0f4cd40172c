namespace Migrator;

/// <summary>
/// The migrations cannot be applied as they are: an applied file changed, a file is misnamed or shares its version, a
/// pending file is older than an applied one, or a migration's SQL failed. The message names the file and says what to do.
/// </summary>
public sealed class MigrationException : Exception
{
    public MigrationException()
    {
    }

    public MigrationException(string message)
        : base(message)
    {
    }

    public MigrationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
