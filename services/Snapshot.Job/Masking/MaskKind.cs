namespace Snapshot.Job.Masking;

/// <summary>What happens to a column's values. The SQL of each is in masking_functions.sql.</summary>
internal enum MaskKind
{
    Keep,
    Null,
    PseudonymizeEmail,
    Pseudonym,
    FakeName,
    ReplaceText,
    PseudonymizeIp,
    RandomBytes,
    RandomToken,
}

/// <summary>The step that applies a mask: personal data in step 2, secrets in step 3.</summary>
internal enum MaskStep
{
    None,
    Anonymize,
    ReplaceSecrets,
}

/// <summary>The kinds of column a mask can write to.</summary>
[Flags]
internal enum ColumnFamily
{
    Other = 0,
    Text = 1,
    Bytes = 2,
    IpAddress = 4,
}
