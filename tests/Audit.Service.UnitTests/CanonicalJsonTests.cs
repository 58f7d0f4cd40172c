using System.Text;
using System.Text.Json;
using Audit.Service.Chain;

namespace Audit.Service.UnitTests;

public sealed class CanonicalJsonTests
{
    [Theory]
    [InlineData("0", "0")]
    [InlineData("-0.0", "0")]
    [InlineData("12", "12")]
    [InlineData("100", "1e2")]
    [InlineData("1.50", "15e-1")]
    [InlineData("15e-1", "15e-1")]
    [InlineData("0.001", "1e-3")]
    [InlineData("-12.5E+3", "-125e2")]
    [InlineData("12345678901234567890123", "12345678901234567890123")]
    [InlineData("1e400", "1e400")]
    public void Numbers_keep_their_exact_value_in_one_spelling(string raw, string canonical)
    {
        Assert.Equal(canonical, CanonicalJson.CanonicalNumber(raw));
    }

    [Fact]
    public void Whitespace_member_order_and_number_spelling_do_not_change_the_bytes()
    {
        // The second spelling is what PostgreSQL's jsonb gives back for the first: keys reordered, spaces added, 1.0 kept.
        var sent = Canonical("""{"text":"hi","n":1.0,"tags":["a",true,null],"nested":{"z":1,"a":2}}""");
        var fromJsonb = Canonical("""{"n": 1.0, "tags": ["a", true, null], "text": "hi", "nested": {"a": 2, "z": 1}}""");

        Assert.Equal(sent, fromJsonb);
        Assert.Equal("""{"n":1,"nested":{"a":2,"z":1},"tags":["a",true,null],"text":"hi"}""", sent);
    }

    [Fact]
    public void Members_sort_by_ordinal_name()
    {
        Assert.Equal("""{"B":1,"a":2,"é":3}""", Canonical("""{"é":3,"a":2,"B":1}"""));
    }

    [Fact]
    public void Strings_escape_only_quotes_backslashes_and_control_characters()
    {
        Assert.Equal("""{"s":"q\"b\\n\nt\tc\u0001é😀/"}""", Canonical("""{"s":"q\"b\\n\nt\tc\u0001\u00e9\ud83d\ude00\/"}"""));
    }

    [Theory]
    [InlineData("""{"a":1,"a":2}""", "appears twice")]
    [InlineData("""{"a":"x\u0000y"}""", "U+0000")]
    [InlineData("""{"a":"\ud800"}""", "surrogate")]
    [InlineData("""{"a":1e9999999999}""", "out of range")]
    public void Values_jsonb_cannot_hold_faithfully_are_rejected(string json, string reason)
    {
        var error = Assert.Throws<FormatException>(() => Canonical(json));

        Assert.Contains(reason, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    private static string Canonical(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Encoding.UTF8.GetString(CanonicalJson.Canonicalize(document.RootElement));
    }
}
