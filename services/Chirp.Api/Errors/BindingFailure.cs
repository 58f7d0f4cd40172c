using System.Text.Json;
using System.Text.RegularExpressions;

namespace Chirp.Api.Errors;

/// <summary>
/// Turns a request-binding failure (malformed JSON, a wrong type, a missing body, a route or query value that does
/// not parse) into the field it concerns and a message for the client.
/// </summary>
public static partial class BindingFailure
{
    /// <summary>The key used for the JSON body as a whole (malformed, missing, wrong shape).</summary>
    public const string BodyField = "$";

    public static (string Field, string Message) Describe(BadHttpRequestException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.InnerException is JsonException json)
        {
            return DescribeJson(json);
        }

        // The messages come from ASP.NET Core's request delegate factory, stable since .NET 6; the tests pin them.
        var failedToBind = FailedToBindPattern().Match(exception.Message);
        if (failedToBind.Success)
        {
            var name = failedToBind.Groups["name"].Value;
            return (name, $"'{failedToBind.Groups["value"].Value}' is not a valid {Describe(failedToBind.Groups["type"].Value)}.");
        }

        var required = RequiredPattern().Match(exception.Message);
        if (required.Success)
        {
            return required.Groups["source"].Value == "body"
                ? (BodyField, "A JSON body is required.")
                : (required.Groups["name"].Value, "is required.");
        }

        if (exception.Message.Contains("no body was provided", StringComparison.Ordinal))
        {
            return (BodyField, "A JSON body is required.");
        }

        return (BodyField, "The request could not be read.");
    }

    private static (string Field, string Message) DescribeJson(JsonException json)
    {
        var path = json.Path;
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return (BodyField, "The body is not a valid JSON object.");
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
        return (field, "has the wrong type or is not valid JSON.");
    }

    private static string Describe(string type) => type switch
    {
        "Guid" or "Guid?" => "UUID",
        "int" or "int?" or "Int32" => "whole number",
        _ => type,
    };

    [GeneratedRegex("""^Failed to bind parameter "(?<type>[^ "]+) (?<name>[^"]+)" from "(?<value>.*)"\.$""", RegexOptions.Singleline)]
    private static partial Regex FailedToBindPattern();

    [GeneratedRegex("""^Required parameter "(?<type>[^ "]+) (?<name>[^"]+)" was not provided from (?<source>[a-z ]+)\.$""")]
    private static partial Regex RequiredPattern();
}
