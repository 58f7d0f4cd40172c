using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Lab.Checker.CSharp;

/// <summary>A learner's C# files compiled into an assembly, or the errors in their terms (file:line: message).</summary>
public sealed record CompiledCode(byte[]? Assembly, IReadOnlyList<string> Errors)
{
    public bool Succeeded => Assembly is not null;
}

/// <summary>
/// Compiles the C# files of a messaging exercise with Roslyn, in process, against the runtime, the client
/// libraries the checker ships (Confluent.Kafka, Npgsql, StackExchange.Redis, the health-check abstractions) and the
/// types the exercise hands over (namespace Lab).
/// No project file, no restore, the same on Linux, macOS and Windows.
/// </summary>
public static class LearnerCompiler
{
    private static readonly string[] s_globalUsings =
    [
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Threading", "System.Threading.Tasks",
    ];

    private static readonly Lazy<List<MetadataReference>> s_references = new(LoadReferences);

    /// <summary>Compiles <paramref name="files"/> (path on disk, path to show) into an assembly named <paramref name="assemblyName"/>.</summary>
    public static CompiledCode Compile(string assemblyName, IEnumerable<(string Path, string DisplayPath)> files)
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = files
            .Select(file => CSharpSyntaxTree.ParseText(File.ReadAllText(file.Path), options, file.DisplayPath, System.Text.Encoding.UTF8))
            .Append(CSharpSyntaxTree.ParseText(string.Join('\n', s_globalUsings.Select(name => $"global using {name};")), options, "GlobalUsings.g.cs"))
            .ToList();
        var compilation = CSharpCompilation.Create(
            assemblyName,
            trees,
            s_references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        if (result.Success)
        {
            return new CompiledCode(stream.ToArray(), []);
        }

        var errors = result.Diagnostics
            .Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error)
            .OrderBy(diagnostic => diagnostic.Location.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(diagnostic => diagnostic.Location.SourceSpan.Start)
            .Select(Describe)
            .Distinct(StringComparer.Ordinal)
            .Take(10)
            .ToList();
        return new CompiledCode(null, errors);
    }

    private static string Describe(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetMappedLineSpan();
        var where = span.IsValid ? $"{span.Path}:{span.StartLinePosition.Line + 1}" : "(compilation)";
        return $"{where}: error {diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    /// <summary>The framework's assemblies (from the trusted platform list) and the libraries learner code may use.</summary>
    private static List<MetadataReference> LoadReferences()
    {
        var platform = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path =>
            {
                var name = Path.GetFileName(path);
                return name.StartsWith("System.", StringComparison.Ordinal)
                    || name is "System.dll" or "mscorlib.dll" or "netstandard.dll" or "Microsoft.Extensions.Logging.Abstractions.dll";
            });
        var libraries = new[]
        {
            typeof(LearnerCompiler).Assembly,
            typeof(Confluent.Kafka.IConsumer<,>).Assembly,
            typeof(Npgsql.NpgsqlDataSource).Assembly,
            typeof(StackExchange.Redis.IDatabase).Assembly,
            typeof(Microsoft.Extensions.Diagnostics.HealthChecks.IHealthCheck).Assembly,
            typeof(Microsoft.Extensions.DependencyInjection.IHealthChecksBuilder).Assembly,
            typeof(Microsoft.Extensions.DependencyInjection.IServiceCollection).Assembly,
        }.Select(assembly => assembly.Location);
        return platform.Concat(libraries)
            .Where(File.Exists)
            .DistinctBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToList();
    }

    /// <summary>A public static method of a public type, by names, for error messages that tell the learner what to keep.</summary>
    public static MethodInfo? FindMethod(Assembly assembly, string typeName, string methodName) =>
        assembly.GetExportedTypes()
            .Where(type => type.Name == typeName)
            .Select(type => type.GetMethod(methodName, BindingFlags.Public | BindingFlags.Static))
            .FirstOrDefault(method => method is not null);
}
