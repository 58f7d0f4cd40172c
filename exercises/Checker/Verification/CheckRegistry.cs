using System.Reflection;

namespace Lab.Checker.Verification;

/// <summary>Finds the check class for a manifest's "check" id among the <see cref="IExerciseCheck"/> types of this assembly.</summary>
public static class CheckRegistry
{
    private static readonly Lazy<IReadOnlyDictionary<string, IExerciseCheck>> s_checks = new(Discover);

    public static IReadOnlyCollection<string> Ids => s_checks.Value.Keys.ToList();

    public static IExerciseCheck Get(string id) =>
        s_checks.Value.TryGetValue(id, out var check)
            ? check
            : throw new InvalidOperationException(
                $"No check class has the id '{id}' (known: {string.Join(", ", s_checks.Value.Keys.Order(StringComparer.Ordinal))}).");

    private static Dictionary<string, IExerciseCheck> Discover()
    {
        var checks = typeof(IExerciseCheck).Assembly.GetTypes()
            .Where(type => type is { IsClass: true, IsAbstract: false } && typeof(IExerciseCheck).IsAssignableFrom(type))
            .Select(type => (IExerciseCheck)Activator.CreateInstance(type)!)
            .ToList();
        var duplicate = checks.GroupBy(check => check.Id, StringComparer.Ordinal).FirstOrDefault(group => group.Count() > 1);
        return duplicate is not null
            ? throw new InvalidOperationException($"Two check classes share the id '{duplicate.Key}'.")
            : checks.ToDictionary(check => check.Id, StringComparer.Ordinal);
    }
}
