using Snapshot.Job.Masking;

namespace Snapshot.Job.Steps;

/// <summary>
/// Step 2: replaces personal data by the rules' masks: emails and handles by keyed pseudonyms (the same input, the same
/// output, so joins and unique indexes hold), names by invented ones, free text by filler, IP addresses by private
/// ones. Keys (ids) are kept, so every foreign key still points at the same row.
/// </summary>
internal sealed class AnonymizeStep : ISnapshotStep
{
    public int Number => 2;

    public string Name => "anonymize";

    public Task<StepResult> RunAsync(StepContext context, CancellationToken cancellationToken) =>
        TableMasking.RunAsync(context, this, MaskStep.Anonymize, cancellationToken);
}
