using System.Globalization;
using System.Text;

namespace Chirp.Api.Errors;

/// <summary>
/// Rules every text field shares. Lengths count Unicode code points (runes), what PostgreSQL's char_length counts, so
/// the API and the database's CHECK constraints agree: "👍" is 1, "é" written as e + combining accent is 2.
/// Text must be well-formed Unicode without control characters: PostgreSQL rejects U+0000 and an unpaired surrogate
/// cannot be encoded, and either would otherwise surface as a 500.
/// </summary>
public static class TextRules
{
    /// <summary>Null when <paramref name="value"/> is acceptable, else what is wrong with it.</summary>
    public static string? Check(string? value, int minLength, int maxLength, bool allowLineBreaks = false)
    {
        if (value is null)
        {
            return "is required.";
        }

        if (!IsWellFormed(value))
        {
            return "contains an unpaired surrogate (not valid Unicode).";
        }

        if (value.Any(c => IsForbiddenControl(c, allowLineBreaks)))
        {
            return allowLineBreaks
                ? "must not contain control characters other than line breaks and tabs."
                : "must not contain control characters.";
        }

        if (string.IsNullOrWhiteSpace(value) && minLength > 0)
        {
            return "must not be empty or only whitespace.";
        }

        var length = CodePoints(value);
        return length < minLength || length > maxLength
            ? string.Create(CultureInfo.InvariantCulture, $"must be {minLength} to {maxLength} characters (Unicode code points); it is {length}.")
            : null;
    }

    public static int CodePoints(string value) => value.EnumerateRunes().Count();

    private static bool IsWellFormed(string value)
    {
        var remaining = value.AsSpan();
        while (!remaining.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(remaining, out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return false;
            }

            remaining = remaining[consumed..];
        }

        return true;
    }

    private static bool IsForbiddenControl(char c, bool allowLineBreaks) =>
        char.IsControl(c) && !(allowLineBreaks && c is '\n' or '\r' or '\t');
}
