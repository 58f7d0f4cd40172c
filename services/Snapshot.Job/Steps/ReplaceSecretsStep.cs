using Snapshot.Job.Masking;

namespace Snapshot.Job.Steps;

/// <summary>
/// Step 3: replaces every secret the rules name (API key hashes, key prefixes, tokens) by random-looking values of the
/// same shape, so nothing in the snapshot can be used against the source, and no hash of a real key survives to be
/// attacked offline. Tables of secrets that should not travel at all (outbox, idempotency records) are truncated:
/// step 1 never copied their rows.
/// </summary>
internal sealed class ReplaceSecretsStep : ISnapshotStep
{
    public int Number => 3;

    public string Name => "replace-secrets";

    public Task<StepResult> RunAsync(StepContext context, CancellationToken cancellationToken) =>
        TableMasking.RunAsync(context, this, MaskStep.ReplaceSecrets, cancellationToken);
}
