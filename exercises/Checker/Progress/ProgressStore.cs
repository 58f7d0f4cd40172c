using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lab.Checker.Progress;

/// <summary>The learner's progress in <c>.sandbox/progress.json</c> (ignored by git): passed exercises and hints seen.</summary>
public sealed class ProgressStore
{
    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly string _path;
    private readonly ProgressDocument _document;

    private ProgressStore(string path, ProgressDocument document)
    {
        _path = path;
        _document = document;
    }

    public static ProgressStore Load(string path)
    {
        if (!File.Exists(path))
        {
            return new ProgressStore(path, new ProgressDocument());
        }

        try
        {
            var document = JsonSerializer.Deserialize<ProgressDocument>(File.ReadAllText(path), s_options);
            return new ProgressStore(path, document ?? new ProgressDocument());
        }
        catch (JsonException)
        {
            // A hand-edited or truncated file must not lock the learner out: start over, keep the old one aside.
            File.Copy(path, path + ".broken", overwrite: true);
            return new ProgressStore(path, new ProgressDocument());
        }
    }

    public ExerciseProgress For(string slug) =>
        _document.Exercises.TryGetValue(slug, out var progress) ? progress : new ExerciseProgress();

    public bool IsPassed(string slug) => For(slug).PassedAt is not null;

    public void RecordRun(string slug, bool passed, DateTimeOffset at)
    {
        var progress = For(slug) with { LastRunAt = at, LastOutcome = passed ? "passed" : "failed" };
        if (passed && progress.PassedAt is null)
        {
            progress = progress with { PassedAt = at };
        }

        _document.Exercises[slug] = progress;
    }

    public int RevealHint(string slug, int available)
    {
        var progress = For(slug);
        var revealed = Math.Min(progress.HintsRevealed + 1, available);
        _document.Exercises[slug] = progress with { HintsRevealed = revealed };
        return revealed;
    }

    public void Forget(string slug) => _document.Exercises.Remove(slug);

    public void Save()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        var temporary = _path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(_document, s_options));
        File.Move(temporary, _path, overwrite: true);
    }

    private sealed class ProgressDocument
    {
        public int Version { get; init; } = 1;

        public Dictionary<string, ExerciseProgress> Exercises { get; init; } = new(StringComparer.Ordinal);
    }
}
