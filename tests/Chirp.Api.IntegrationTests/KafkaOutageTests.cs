using System.Diagnostics;
using System.Net;
using Sandbox.Testing;

namespace Chirp.Api.IntegrationTests;

/// <summary>Takes every Kafka broker down for a few seconds: no other test of this assembly may run meanwhile.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KafkaOutageGroup
{
    public const string Name = "Kafka outage";
}

/// <summary>
/// While Kafka is unreachable writes still succeed and their events wait in the outbox; once it is back, every event
/// arrives exactly once. Uses `scripts/infra kafka-outage start|stop`, always restoring the brokers.
/// </summary>
[Collection(KafkaOutageGroup.Name)]
[Trait("Category", TestCategories.Outage)]
public sealed class KafkaOutageTests(RelayingChirpApiFixture api, KafkaFixture kafka) : IClassFixture<RelayingChirpApiFixture>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Events_written_during_an_outage_wait_in_the_outbox_then_arrive_exactly_once()
    {
        var user = await api.Client.SignUpAsync();
        await Eventually.HoldsAsync(async () => await OutboxRows.UnsentAsync(api.AppDb) == 0, s_timeout, "the sign-up events are published");

        var chirpIds = new List<Guid>();
        await KafkaOutageAsync("start");
        try
        {
            for (var i = 0; i < 5; i++)
            {
                chirpIds.Add((await api.Client.ChirpAsync(user, $"during the outage {i}")).Id);
            }

            await Eventually.HoldsAsync(
                async () => (await OutboxRows.ForKeyAsync(api.AppDb, user.Id)).Any(row => row.LastError is not null),
                s_timeout, "the relay has tried and recorded the failure");
            using var ready = await api.Client.GetAsync(new Uri("/health/ready", UriKind.Relative), Cancellation);
            var readyBody = await ready.Content.ReadAsStringAsync(Cancellation);

            Assert.Equal(5, await OutboxRows.UnsentAsync(api.AppDb));
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode); // Kafka is shared: degraded, not unready
            Assert.Contains("\"Degraded\"", readyBody, StringComparison.Ordinal);
        }
        finally
        {
            await KafkaOutageAsync("stop");
        }

        await Eventually.HoldsAsync(async () => await OutboxRows.UnsentAsync(api.AppDb) == 0, s_timeout, "the waiting events are published");
        var events = TopicReader.ReadUntil(
            kafka, api.Topic, read => chirpIds.All(id => read.Any(e => e.ResourceId == id)), s_timeout);
        foreach (var id in chirpIds)
        {
            Assert.Single(events, e => e.Type == "chirp.created" && e.ResourceId == id);
        }

        Assert.Equal(events.Count, events.Select(e => e.EventId).Distinct().Count());
    }

    private static async Task KafkaOutageAsync(string action)
    {
        var start = new ProcessStartInfo(Path.Combine(SandboxEnvironment.RepositoryRoot, "scripts", "infra"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = SandboxEnvironment.RepositoryRoot,
        };
        start.ArgumentList.Add("kafka-outage");
        start.ArgumentList.Add(action);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = await process.StandardError.ReadToEndAsync(CancellationToken.None);
        await process.WaitForExitAsync(CancellationToken.None);
        Assert.True(process.ExitCode == 0, $"scripts/infra kafka-outage {action} failed ({process.ExitCode}): {output}{error}");
    }
}
