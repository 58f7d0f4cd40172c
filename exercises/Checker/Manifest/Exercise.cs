namespace Lab.Checker.Manifest;

/// <summary>One exercise as the manifest lists it; paths are relative to the manifest's folder.</summary>
public sealed record Exercise
{
    public required int Number { get; init; }

    /// <summary>Stable name, also the folder name: <c>01-btree-index</c>.</summary>
    public required string Slug { get; init; }

    public required string Folder { get; init; }

    public required string Title { get; init; }

    /// <summary>The files the learner edits, relative to <see cref="Folder"/>.</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>The id of the check class that verifies it.</summary>
    public required string Check { get; init; }

    /// <summary>What the check needs running: postgres, kafka, redis.</summary>
    public IReadOnlyList<string> Needs { get; init; } = [];

    /// <summary>Three hints: the concept, where to look, nearly the answer.</summary>
    public required IReadOnlyList<string> Hints { get; init; }

    /// <summary>The folder with the reference solution (same file names as <see cref="Files"/>).</summary>
    public required string Solution { get; init; }

    /// <summary>The pristine starter files (same file names as <see cref="Files"/>), for <c>reset</c>.</summary>
    public required string Starter { get; init; }

    /// <summary>Two digits, as people type and read it: 01.</summary>
    public string Id => Number.ToString("00", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The learner-facing path of one of its files, relative to the repository root.</summary>
    public string DisplayPath(string file) => $"exercises/{Folder}/{file}";
}
