using System.Text.RegularExpressions;

namespace Exercises.Tests;

/// <summary>
/// Pins what the checker tells a learner for a failing and a passing run of exercise 01, so that a change to the
/// wording is deliberate. Measured numbers (timings, ratios, row and buffer counts) vary and are compared as '#';
/// fixed ones (the exercise, the actor, the 20x needed) are pinned with the words. To accept a new
/// wording: LAB_UPDATE_GOLDEN=1 dotnet test tests/Exercises.Tests --filter GoldenMessageTests, then review the diff.
/// </summary>
[Collection(Lab01.Name)]
public sealed partial class GoldenMessageTests(LabFixture lab)
{
    [Fact]
    public async Task Failing_run_of_the_starter_reads_as_pinned()
    {
        Compare("01-btree-index.failing.txt", LabFixture.Text(await lab.VerifyStarterAsync(1)));
    }

    [Fact]
    public async Task Passing_run_of_the_solution_reads_as_pinned()
    {
        Compare("01-btree-index.passing.txt", LabFixture.Text(await lab.VerifySolutionAsync(1)));
    }

    public static string Normalize(string text)
    {
        var normalized = Measured().Replace(text.ReplaceLineEndings("\n"), match => match.Value.Replace(match.Groups["n"].Value, "#", StringComparison.Ordinal));
        return string.Join('\n', normalized.Split('\n').Select(line => line.TrimEnd())).Trim() + "\n";
    }

    private void Compare(string name, string actual)
    {
        var path = Path.Combine(lab.Root, "tests", "Exercises.Tests", "Golden", name);
        var normalized = Normalize(actual);
        if (Environment.GetEnvironmentVariable("LAB_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, normalized);
        }

        Assert.True(File.Exists(path), $"{path} is missing: run with LAB_UPDATE_GOLDEN=1 to create it.");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), normalized);
    }

    /// <summary>A number that is measured: rows=N, N ms, Nx faster, removed by filter: N, hit=N, read=N, N pages.</summary>
    [GeneratedRegex(@"(?:rows=|Removed by Filter: |Heap Fetches: |hit=|read=)(?<n>\d[\d,]*)|(?<n>\d[\d,]*(?:\.\d+)?)(?: ms|x faster| pages| buffers| events| ledger rows)")]
    private static partial Regex Measured();
}
