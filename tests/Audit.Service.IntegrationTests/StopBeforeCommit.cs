using Audit.Service.Ingestion;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Audit.Service.IntegrationTests;

/// <summary>
/// A consumer that "dies" between the database commit and the offset commit: at the offset commit it reports how
/// many rows another connection already sees, then never commits and waits to be stopped.
/// </summary>
internal sealed class StopBeforeCommit(NpgsqlDataSource observer) : IOffsetCommitter
{
    public TaskCompletionSource<long> Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Commit(IConsumer<byte[]?, byte[]?> consumer, IReadOnlyList<TopicPartitionOffset> offsets, CancellationToken cancellationToken)
    {
        using (var count = observer.CreateCommand("SELECT count(*) FROM audit_events"))
        {
            Reached.TrySetResult((long)count.ExecuteScalar()!);
        }

        cancellationToken.WaitHandle.WaitOne();
        cancellationToken.ThrowIfCancellationRequested();
    }
}

internal static class CommitterRegistration
{
    public static IServiceCollection AddSingletonCommitter(this IServiceCollection services, IOffsetCommitter committer)
    {
        services.RemoveAll<IOffsetCommitter>();
        services.AddSingleton(committer);
        return services;
    }
}
