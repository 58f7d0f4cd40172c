using Chirp.Api.Errors;

namespace Chirp.Api.UnitTests;

public sealed class TextRulesTests
{
    [Theory]
    [InlineData("a", 1)]
    [InlineData("👍", 1)] // two UTF-16 chars, one code point
    [InlineData("e\u0301", 2)] // e + combining acute accent: looks like one character
    [InlineData("👨‍👩‍👧", 5)] // three people joined by two zero-width joiners
    public void Length_is_counted_in_code_points_like_postgres_char_length(string text, int codePoints)
    {
        Assert.Equal(codePoints, TextRules.CodePoints(text));
    }

    [Theory]
    [InlineData(null, "is required.")]
    [InlineData("", "must not be empty or only whitespace.")]
    [InlineData(" \t ", "must not be empty or only whitespace.")]
    [InlineData("nul\0", "must not contain control characters other than line breaks and tabs.")]
    [InlineData("bell\a", "must not contain control characters other than line breaks and tabs.")]
    public void Bad_text_is_described(string? text, string problem)
    {
        Assert.Equal(problem, TextRules.Check(text, minLength: 1, maxLength: 10, allowLineBreaks: true));
    }

    // Built in code: theory data with a lone surrogate does not survive xunit's serialization of test cases.
    [Fact]
    public void Unpaired_surrogates_are_refused()
    {
        Assert.Equal("contains an unpaired surrogate (not valid Unicode).", TextRules.Check("lone " + '\ud800', 1, 10));
        Assert.Equal("contains an unpaired surrogate (not valid Unicode).", TextRules.Check('\udc00' + "x" + '\ud800', 1, 10));
        Assert.Null(TextRules.Check("pair 👍", 1, 10));
    }

    [Fact]
    public void Line_breaks_are_allowed_only_where_asked()
    {
        Assert.Null(TextRules.Check("a\nb", 1, 10, allowLineBreaks: true));
        Assert.NotNull(TextRules.Check("a\nb", 1, 10, allowLineBreaks: false));
    }

    [Fact]
    public void The_limits_are_inclusive()
    {
        Assert.Null(TextRules.Check(new string('x', 140), 1, 140));
        Assert.Equal("must be 1 to 140 characters (Unicode code points); it is 141.", TextRules.Check(new string('x', 141), 1, 140));
    }
}
