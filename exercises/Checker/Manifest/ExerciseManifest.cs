using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lab.Checker.Manifest;

/// <summary><c>exercises/manifest.json</c>: the exercises in order. The checker and the CI tests read the same file.</summary>
public sealed class ExerciseManifest
{
    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private ExerciseManifest(string exercisesDirectory, IReadOnlyList<Exercise> exercises)
    {
        ExercisesDirectory = exercisesDirectory;
        Exercises = exercises;
    }

    /// <summary>The folder that holds manifest.json; exercise folders are relative to it.</summary>
    public string ExercisesDirectory { get; }

    public IReadOnlyList<Exercise> Exercises { get; }

    public static ExerciseManifest Load(string exercisesDirectory)
    {
        var path = Path.Combine(exercisesDirectory, "manifest.json");
        var document = JsonSerializer.Deserialize<ManifestDocument>(File.ReadAllText(path), s_options)
            ?? throw new InvalidDataException($"{path} is empty.");
        var exercises = document.Exercises.OrderBy(exercise => exercise.Number).ToList();
        Validate(path, exercises);
        return new ExerciseManifest(exercisesDirectory, exercises);
    }

    public Exercise? Find(int number) => Exercises.FirstOrDefault(exercise => exercise.Number == number);

    public string DirectoryOf(Exercise exercise) => Path.Combine(ExercisesDirectory, exercise.Folder);

    public string SolutionDirectoryOf(Exercise exercise) => Path.Combine(ExercisesDirectory, exercise.Solution);

    public string StarterDirectoryOf(Exercise exercise) => Path.Combine(ExercisesDirectory, exercise.Starter);

    private static void Validate(string path, List<Exercise> exercises)
    {
        var duplicate = exercises.GroupBy(exercise => exercise.Number).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidDataException($"{path}: exercise number {duplicate.Key} appears twice.");
        }

        foreach (var exercise in exercises)
        {
            if (exercise.Files.Count == 0)
            {
                throw new InvalidDataException($"{path}: exercise {exercise.Id} lists no files.");
            }

            if (exercise.Hints.Count == 0)
            {
                throw new InvalidDataException($"{path}: exercise {exercise.Id} has no hints.");
            }
        }
    }

    private sealed record ManifestDocument
    {
        [JsonPropertyName("exercises")]
        public List<Exercise> Exercises { get; init; } = [];
    }
}
