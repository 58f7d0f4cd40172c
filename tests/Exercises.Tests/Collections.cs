namespace Exercises.Tests;

/// <summary>Tests that use exercise 01's schemas (verify, golden files, watch) run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class Lab01
{
    public const string Name = "lab01";
}

/// <summary>Tests whose check judges how fast something answers run alone, never beside another collection.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Sequential
{
    public const string Name = "sequential";
}
