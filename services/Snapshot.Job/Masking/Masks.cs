namespace Snapshot.Job.Masking;

/// <summary>Every mask a rules file may name, with the step that applies it and the columns it fits.</summary>
internal static class Masks
{
    private static readonly Mask[] s_all =
    [
        new("keep", MaskKind.Keep, MaskStep.None, Fits: null, "copied as it is"),
        new("null", MaskKind.Null, MaskStep.Anonymize, Fits: null, "set to NULL (nullable columns only)"),
        new("pseudonymize-email", MaskKind.PseudonymizeEmail, MaskStep.Anonymize, ColumnFamily.Text, "user_<hash>@snapshot.invalid, the same for the same address"),
        new("pseudonym", MaskKind.Pseudonym, MaskStep.Anonymize, ColumnFamily.Text, "<prefix><hash>, the same for the same value (case-insensitive)"),
        new("fake-name", MaskKind.FakeName, MaskStep.Anonymize, ColumnFamily.Text, "an invented name such as 'Brisk Otter', the same for the same value"),
        new("replace-text", MaskKind.ReplaceText, MaskStep.Anonymize, ColumnFamily.Text, "filler text of the same length"),
        new("pseudonymize-ip", MaskKind.PseudonymizeIp, MaskStep.Anonymize, ColumnFamily.Text | ColumnFamily.IpAddress, "an address in 10.0.0.0/8, the same for the same address"),
        new("random-bytes", MaskKind.RandomBytes, MaskStep.ReplaceSecrets, ColumnFamily.Bytes, "new random-looking bytes of the same length (hashes, keys)"),
        new("random-token", MaskKind.RandomToken, MaskStep.ReplaceSecrets, ColumnFamily.Text, "<prefix><random hex> (key prefixes, tokens)"),
    ];

    public static IReadOnlyList<Mask> All => s_all;

    public static string Names => string.Join(", ", s_all.Select(mask => mask.Name));

    public static Mask? Find(string name) => s_all.FirstOrDefault(mask => string.Equals(mask.Name, name, StringComparison.Ordinal));

    public static Mask Of(MaskKind kind) => s_all.First(mask => mask.Kind == kind);
}

/// <summary>A mask: its name in rules files, the step that applies it, and the column families it fits (null: any).</summary>
internal sealed record Mask(string Name, MaskKind Kind, MaskStep Step, ColumnFamily? Fits, string Description);
