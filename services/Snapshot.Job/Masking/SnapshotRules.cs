namespace Snapshot.Job.Masking;

/// <summary>
/// One application's rules: which database is copied, and for every table either "truncate" (its rows never leave
/// the source) or a rule for each of its columns.
/// </summary>
internal sealed record SnapshotRules(
    string Application,
    int Version,
    string Source,
    IReadOnlyList<TableRule> Tables,
    RulesFileInfo File)
{
    public TableRule? Find(TableName table) => Tables.FirstOrDefault(rule => rule.Table == table);

    public IEnumerable<TableName> TruncatedTables => Tables.Where(rule => rule.Truncate).Select(rule => rule.Table);
}

/// <summary>A table's rule: truncated, or masked column by column.</summary>
internal sealed record TableRule(TableName Table, bool Truncate, IReadOnlyList<ColumnRule> Columns)
{
    public IEnumerable<ColumnRule> ColumnsFor(MaskStep step) => Columns.Where(column => column.Mask.Step == step);
}

/// <summary>A column's mask; <see cref="Prefix"/> and <see cref="Length"/> matter to pseudonym and random-token only.</summary>
internal sealed record ColumnRule(string Column, Mask Mask, string Prefix, int Length);

/// <summary>Where the rules came from: the path read, the name shown in messages, and the SHA-256 of the file's bytes.</summary>
internal sealed record RulesFileInfo(string Path, string DisplayName, string Sha256);
