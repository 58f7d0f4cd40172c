using Lab.Checker.Verification;

namespace Lab.Checker.CSharp;

/// <summary>
/// The learner's compiled assembly written to a temporary folder of its own, for a child process to load; the
/// folder goes when this is disposed.
/// </summary>
public sealed class LearnerAssemblyFile : IDisposable
{
    private readonly string _directory;

    private LearnerAssemblyFile(string directory, string assemblyPath)
    {
        _directory = directory;
        AssemblyPath = assemblyPath;
    }

    public string AssemblyPath { get; }

    /// <summary>Writes <paramref name="image"/> as Lab.ExerciseNN.dll in a folder named after the exercise and the run.</summary>
    public static async Task<LearnerAssemblyFile> WriteAsync(CheckContext context, byte[] image, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"lab{context.Exercise.Id}-{context.RunId}");
        Directory.CreateDirectory(directory);
        var file = new LearnerAssemblyFile(directory, Path.Combine(directory, $"Lab.Exercise{context.Exercise.Id}.dll"));
        try
        {
            await File.WriteAllBytesAsync(file.AssemblyPath, image, cancellationToken);
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by an exiting process: the temp folder is cleaned by the system eventually.
        }
        catch (UnauthorizedAccessException)
        {
            // As above, on Windows.
        }
    }
}
