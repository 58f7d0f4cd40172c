namespace Exercises.Tests;

/// <summary>Tests that use exercise 01's schemas (verify, golden files, watch) run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class Lab01
{
    public const string Name = "lab01";
}
