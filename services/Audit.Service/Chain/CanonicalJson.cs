using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Audit.Service.Chain;

/// <summary>
/// Canonical JSON: one byte sequence per JSON value, whoever wrote it and however PostgreSQL's jsonb stored it.
/// Objects: members sorted by name (ordinal UTF-16, as RFC 8785), no whitespace; duplicate names are rejected.
/// Arrays: in order. Strings: UTF-8, escaping only <c>"</c>, <c>\</c> and control characters (\b \f \n \r \t, else
/// \u00xx); U+0000 and lone surrogates are rejected (jsonb cannot store them). Numbers: exact decimal value as
/// [-]digits[e exponent] with no leading or trailing zeros in digits (1.50 and 15e-1 both give "15e-1", 100 gives
/// "1e2", -0.0 gives "0"), so jsonb's numeric normalisation never changes the bytes.
/// </summary>
internal static class CanonicalJson
{
    private const int MaxExponentDigits = 9;
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The canonical UTF-8 bytes of <paramref name="element"/>.</summary>
    /// <exception cref="FormatException">The value has duplicate member names, U+0000, a lone surrogate or an absurd exponent.</exception>
    public static byte[] Canonicalize(JsonElement element)
    {
        var text = new StringBuilder();
        Write(element, text, "$");
        return Encode(text.ToString());
    }

    /// <summary>Appends <paramref name="value"/> as a canonical JSON string.</summary>
    public static void WriteString(string value, StringBuilder text)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(text);
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\0': throw new FormatException("U+0000 is not allowed in a string (PostgreSQL's jsonb cannot store it).");
                case < ' ': text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"); break;
                default: text.Append(c); break;
            }
        }

        text.Append('"');
    }

    /// <summary>Strict UTF-8: a lone surrogate throws instead of becoming U+FFFD.</summary>
    public static byte[] Encode(string text)
    {
        try
        {
            return s_strictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException ex)
        {
            throw new FormatException("A string holds a lone UTF-16 surrogate.", ex);
        }
    }

    /// <summary>The canonical form of a JSON number's text (see the class summary).</summary>
    public static string CanonicalNumber(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var span = raw.AsSpan();
        var negative = span.Length > 0 && span[0] == '-';
        if (negative)
        {
            span = span[1..];
        }

        var exponentAt = span.IndexOfAny('e', 'E');
        long exponent = 0;
        if (exponentAt >= 0)
        {
            var exponentText = span[(exponentAt + 1)..];
            var exponentSign = 1;
            if (exponentText.Length > 0 && (exponentText[0] == '+' || exponentText[0] == '-'))
            {
                exponentSign = exponentText[0] == '-' ? -1 : 1;
                exponentText = exponentText[1..];
            }

            exponentText = exponentText.TrimStart('0');
            if (exponentText.Length > MaxExponentDigits)
            {
                throw new FormatException($"The number {raw} is out of range.");
            }

            exponent = exponentText.Length == 0 ? 0 : exponentSign * long.Parse(exponentText, CultureInfo.InvariantCulture);
            span = span[..exponentAt];
        }

        var point = span.IndexOf('.');
        var digits = new StringBuilder(span.Length);
        if (point >= 0)
        {
            digits.Append(span[..point]).Append(span[(point + 1)..]);
            exponent -= span.Length - point - 1;
        }
        else
        {
            digits.Append(span);
        }

        var significant = digits.ToString().TrimStart('0');
        if (significant.Length == 0)
        {
            return "0";
        }

        var trimmed = significant.TrimEnd('0');
        exponent += significant.Length - trimmed.Length;
        var sign = negative ? "-" : string.Empty;
        return exponent == 0
            ? sign + trimmed
            : string.Create(CultureInfo.InvariantCulture, $"{sign}{trimmed}e{exponent}");
    }

    private static void Write(JsonElement element, StringBuilder text, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(element, text, path);
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (index > 0)
                    {
                        text.Append(',');
                    }

                    Write(item, text, $"{path}[{index}]");
                    index++;
                }

                text.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(ReadString(element, path), text);
                break;
            case JsonValueKind.Number:
                text.Append(CanonicalNumber(element.GetRawText()));
                break;
            case JsonValueKind.True:
                text.Append("true");
                break;
            case JsonValueKind.False:
                text.Append("false");
                break;
            case JsonValueKind.Null:
                text.Append("null");
                break;
            default:
                throw new FormatException($"{path}: unexpected JSON value kind {element.ValueKind}.");
        }
    }

    private static void WriteObject(JsonElement element, StringBuilder text, string path)
    {
        var members = new List<(string Name, JsonElement Value)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var name = ReadName(property, path);
            if (!names.Add(name))
            {
                throw new FormatException($"{path}: the member \"{name}\" appears twice.");
            }

            members.Add((name, property.Value));
        }

        members.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        text.Append('{');
        for (var i = 0; i < members.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            WriteString(members[i].Name, text);
            text.Append(':');
            Write(members[i].Value, text, $"{path}.{members[i].Name}");
        }

        text.Append('}');
    }

    private static string ReadString(JsonElement element, string path)
    {
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            throw new FormatException($"{path}: the string is not valid UTF-16 ({ex.Message}).", ex);
        }
    }

    private static string ReadName(JsonProperty property, string path)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException ex)
        {
            throw new FormatException($"{path}: a member name is not valid UTF-16 ({ex.Message}).", ex);
        }
    }
}
