using Lab.Checker.Manifest;
using Lab.Checker.Verification;

namespace Exercises.UnitTests;

/// <summary>The manifest and the folders it names agree: what the checker and the CI tests both rely on.</summary>
public sealed class ManifestTests
{
    private static readonly ExerciseManifest s_manifest = ExerciseManifest.Load(Path.Combine(Repository.Root, "exercises"));

    public static TheoryData<int> Numbers() => [.. s_manifest.Exercises.Select(exercise => exercise.Number)];

    [Fact]
    public void Exercises_are_numbered_from_1_without_gaps()
    {
        Assert.Equal(Enumerable.Range(1, s_manifest.Exercises.Count), s_manifest.Exercises.Select(exercise => exercise.Number));
    }

    [Theory]
    [MemberData(nameof(Numbers))]
    public void Each_exercise_names_a_known_check_and_three_hints(int number)
    {
        var exercise = s_manifest.Find(number)!;

        Assert.Contains(exercise.Check, CheckRegistry.Ids);
        Assert.Equal(3, exercise.Hints.Count);
        Assert.Equal($"{exercise.Id}-", exercise.Slug[..3]);
        Assert.Equal(exercise.Slug, exercise.Folder);
    }

    [Theory]
    [MemberData(nameof(Numbers))]
    public void Each_exercise_has_its_readme_files_starters_and_solution(int number)
    {
        var exercise = s_manifest.Find(number)!;
        var readme = File.ReadAllText(Path.Combine(s_manifest.DirectoryOf(exercise), "README.md"));

        Assert.Contains($"./lab verify {exercise.Number}", readme, StringComparison.Ordinal);
        foreach (var file in exercise.Files)
        {
            Assert.True(File.Exists(Path.Combine(s_manifest.DirectoryOf(exercise), file)), $"{exercise.DisplayPath(file)} is missing");
            Assert.True(File.Exists(Path.Combine(s_manifest.StarterDirectoryOf(exercise), file)), $"the starter copy of {file} is missing");
            Assert.True(File.Exists(Path.Combine(s_manifest.SolutionDirectoryOf(exercise), file)), $"the solution of {file} is missing");
            Assert.Contains(file, readme, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// The starter copy (what reset restores and CI checks) is the file as committed: compared as git has them
    /// staged, so that a clone in which someone is doing the exercises still passes.
    /// </summary>
    [Theory]
    [MemberData(nameof(Numbers))]
    public void The_starter_copy_matches_the_exercise_file_as_committed(int number)
    {
        var exercise = s_manifest.Find(number)!;
        foreach (var file in exercise.Files)
        {
            var learner = $"exercises/{exercise.Folder}/{file}";
            var starter = $"exercises/{exercise.Starter}/{file}";
            var staged = Repository.StagedBlob(learner);
            if (staged is not null && Repository.StagedBlob(starter) is { } starterBlob)
            {
                Assert.True(staged == starterBlob, $"{learner} and {starter} differ as committed: change both together.");
            }
            else
            {
                Assert.Equal(
                    File.ReadAllText(Path.Combine(Repository.Root, starter)).ReplaceLineEndings(),
                    File.ReadAllText(Path.Combine(Repository.Root, learner)).ReplaceLineEndings());
            }
        }
    }

    [Fact]
    public void Every_check_class_is_used_by_the_manifest()
    {
        Assert.Equal(CheckRegistry.Ids.Order(StringComparer.Ordinal), s_manifest.Exercises.Select(exercise => exercise.Check).Order(StringComparer.Ordinal));
    }
}
