using Lab.Checker.Cli;

namespace Exercises.UnitTests;

public sealed class WrapTests
{
    [Fact]
    public void Breaks_prose_at_spaces_within_the_width()
    {
        var lines = Commands.Wrap("a bb ccc dddd eeeee", 8).ToList();

        Assert.Equal(["a bb ccc", "dddd", "eeeee"], lines);
        Assert.All(lines, line => Assert.True(line.Length <= 8));
    }
}
