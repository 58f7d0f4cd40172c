using System.Text;
using Snapshot.Job.Masking;

namespace Snapshot.Job.UnitTests;

/// <summary>Rules files for the tests: the shipped chirp.json, or JSON written in the test.</summary>
internal static class Rules
{
    public static SnapshotRules Shipped() =>
        RulesFile.Load(Path.Combine(AppContext.BaseDirectory, "rules", "chirp.json"), "rules/chirp.json");

    public static SnapshotRules Parse(string json) =>
        RulesFile.Parse(Encoding.UTF8.GetBytes(json), new RulesFileInfo("test.json", "test.json", "0"));
}
