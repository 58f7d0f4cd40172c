using Lab.Checker.Verification;

namespace Exercises.Tests;

/// <summary>
/// Verifies an answer kept under tests/Exercises.Tests/<paramref name="kind"/>/NN-slug/: a file named as given (an
/// exercise with one file), or a folder holding only the files that differ from the reference solution (an exercise
/// with several files), in a temporary folder of its own so that the learner's files are never touched.
/// </summary>
internal static class AnswerFolders
{
    public static async Task<Verdict> VerifyAsync(LabFixture lab, int number, string kind, string answer)
    {
        var exercise = lab.Exercise(number);
        var source = Path.Combine(lab.Root, "tests", "Exercises.Tests", kind, exercise.Slug, answer);
        var directory = Directory.CreateTempSubdirectory($"lab-{kind.ToLowerInvariant()}-{exercise.Id}-");
        try
        {
            if (Directory.Exists(source))
            {
                foreach (var file in exercise.Files)
                {
                    File.Copy(Path.Combine(lab.Manifest.SolutionDirectoryOf(exercise), file), Path.Combine(directory.FullName, file));
                }

                foreach (var file in Directory.EnumerateFiles(source))
                {
                    File.Copy(file, Path.Combine(directory.FullName, Path.GetFileName(file)), overwrite: true);
                }
            }
            else
            {
                File.Copy(source, Path.Combine(directory.FullName, exercise.Files.Single()));
            }

            return await ExerciseVerifier.VerifyAsync(exercise, directory.FullName, lab.Infrastructure, status: null, TestContext.Current.CancellationToken);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
