namespace Chirp.Api.Errors;

/// <summary>Collects "field: what is wrong" messages for a 400 validation problem.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool HasErrors => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            messages = [];
            _errors[field] = messages;
        }

        messages.Add(message);
    }

    /// <summary>Adds the message if there is one (validators return null when a value is fine).</summary>
    public void AddIfAny(string field, string? message)
    {
        if (message is not null)
        {
            Add(field, message);
        }
    }

    public Dictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>The errors as a 400 validation problem, or null when there are none.</summary>
    public ValidationProblem? ToProblem() => HasErrors ? TypedResults.ValidationProblem(ToDictionary()) : null;
}
