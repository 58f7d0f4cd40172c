using System.Reflection;
using System.Runtime.Loader;
using Lab.Checker.Verification;

namespace Lab.Checker.CSharp;

/// <summary>The learner's compiled code, loaded in a context of its own that is unloaded after the check.</summary>
public sealed class LearnerAssembly : IDisposable
{
    private readonly AssemblyLoadContext _context;

    private LearnerAssembly(AssemblyLoadContext context, Assembly assembly, byte[] image)
    {
        _context = context;
        Assembly = assembly;
        Image = image;
    }

    public Assembly Assembly { get; }

    /// <summary>The compiled bytes, for a check that runs the code in another process.</summary>
    public byte[] Image { get; }

    /// <summary>Compiles and loads the exercise's files; on errors, a failure that lists them as file:line: message.</summary>
    public static (LearnerAssembly? Assembly, CheckResult? Failure) Load(CheckContext context)
    {
        var files = context.Exercise.Files.Select(file =>
        {
            _ = context.ReadFile(file);
            return (context.FilePath(file), context.DisplayPath(file));
        }).ToList();
        var compiled = LearnerCompiler.Compile($"Lab.Exercise{context.Exercise.Id}.{context.RunId}", files);
        if (!compiled.Succeeded)
        {
            var report = new Report().Failure("Your code does not compile:").Evidence(compiled.Errors, 2);
            return (null, CheckResult.Fail(report));
        }

        var loadContext = new AssemblyLoadContext($"lab-{context.Exercise.Id}-{context.RunId}", isCollectible: true);
        var assembly = loadContext.LoadFromStream(new MemoryStream(compiled.Assembly!));
        return (new LearnerAssembly(loadContext, assembly, compiled.Assembly!), null);
    }

    public void Dispose() => _context.Unload();
}
