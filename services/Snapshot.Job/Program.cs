namespace Snapshot.Job;

/// <summary>
/// The entry point: <c>dotnet run --project services/Snapshot.Job</c> (settings as <c>Snapshot__*</c> variables or
/// <c>--Snapshot:Key=value</c> arguments; see README.md).
/// </summary>
internal static class Program
{
    public static Task<int> Main(string[] args) => SnapshotCommand.RunAsync(args);
}
