using Chirp.Api.Chirps;

namespace Chirp.Api.UnitTests;

public sealed class TimelineCursorTests
{
    [Fact]
    public void A_cursor_round_trips_to_the_microsecond()
    {
        var cursor = new TimelineCursor(new DateTime(2026, 11, 21, 12, 0, 0, DateTimeKind.Utc).AddTicks(1_234_560), Guid.CreateVersion7());

        Assert.True(TimelineCursor.TryDecode(cursor.Encode(), out var decoded));
        Assert.Equal(cursor, decoded);
        Assert.Equal(DateTimeKind.Utc, decoded.CreatedAt.Kind);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("_____________________________________w")]
    [InlineData("__________8AAAAAAAAAAAAAAAAAAAAA")] // a negative timestamp
    public void Anything_else_is_not_a_cursor(string? text)
    {
        Assert.False(TimelineCursor.TryDecode(text, out _));
    }
}
