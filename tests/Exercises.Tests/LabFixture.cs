using Lab.Checker.Infrastructure;
using Lab.Checker.Manifest;
using Lab.Checker.Verification;
using Sandbox.Testing;

[assembly: AssemblyFixture(typeof(Exercises.Tests.LabFixture))]

namespace Exercises.Tests;

/// <summary>
/// The checker's view of the infrastructure, shared by all tests, and the three kinds of answer CI verifies: the
/// starter files, the reference solution, and a wrong answer from WrongAnswers/ (copied into a folder of its own
/// under the learner's file name, so the learner's files are never touched).
/// </summary>
public sealed class LabFixture : IAsyncLifetime
{
    private readonly List<string> _temporary = [];

    public string Root { get; } = SandboxEnvironment.RepositoryRoot;

    public ExerciseManifest Manifest { get; private set; } = null!;

    public LabInfrastructure Infrastructure { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Manifest = ExerciseManifest.Load(Path.Combine(Root, "exercises"));
        Infrastructure = LabInfrastructure.FromRepository(Root);
        var problem = await Infrastructure.ProbeAsync(["postgres", "kafka"], CancellationToken.None);
        if (problem is not null)
        {
            throw new InfrastructureUnavailableException($"{problem}. Start the native infrastructure with `{SandboxEnvironment.StartCommand}`.");
        }
    }

    public Exercise Exercise(int number) => Manifest.Find(number)!;

    public Task<Verdict> VerifyStarterAsync(int number) =>
        VerifyAsync(number, Manifest.StarterDirectoryOf(Exercise(number)));

    public Task<Verdict> VerifySolutionAsync(int number) =>
        VerifyAsync(number, Manifest.SolutionDirectoryOf(Exercise(number)));

    /// <summary>Verifies tests/Exercises.Tests/WrongAnswers/NN-slug/<paramref name="file"/> as if it were the learner's file.</summary>
    public Task<Verdict> VerifyWrongAnswerAsync(int number, string file) => VerifyAnswerAsync(number, "WrongAnswers", file);

    /// <summary>Verifies tests/Exercises.Tests/OtherAnswers/NN-slug/<paramref name="file"/>: another correct answer.</summary>
    public Task<Verdict> VerifyOtherAnswerAsync(int number, string file) => VerifyAnswerAsync(number, "OtherAnswers", file);

    private Task<Verdict> VerifyAnswerAsync(int number, string kind, string file)
    {
        var exercise = Exercise(number);
        var directory = Path.Combine(Path.GetTempPath(), $"lab-answer-{exercise.Id}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        _temporary.Add(directory);
        File.Copy(Path.Combine(Root, "tests", "Exercises.Tests", kind, exercise.Slug, file), Path.Combine(directory, exercise.Files.Single()));
        return VerifyAsync(number, directory);
    }

    public static string Text(Verdict verdict) => Lab.Checker.Cli.ReportRenderer.ToPlainText(verdict.Report);

    public async ValueTask DisposeAsync()
    {
        await Infrastructure.DisposeAsync();
        foreach (var directory in _temporary.Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private Task<Verdict> VerifyAsync(int number, string directory) =>
        ExerciseVerifier.VerifyAsync(Exercise(number), directory, Infrastructure, status: null, TestContext.Current.CancellationToken);
}
