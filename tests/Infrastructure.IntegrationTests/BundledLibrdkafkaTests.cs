using Confluent.Kafka;
using SandboxShared;

namespace Infrastructure.IntegrationTests;

/// <summary>
/// Every process loads the librdkafka bundled with librdkafka.redist. Without that, Confluent.Kafka falls back to the
/// operating system's library by name, which with Debian's librdkafka-dev is 2.0.2, and consumers then crash.
/// </summary>
public sealed class BundledLibrdkafkaTests
{
    [Fact]
    public void Confluent_Kafka_runs_on_the_bundled_librdkafka()
    {
        Assert.StartsWith(Path.Combine(AppContext.BaseDirectory, "runtimes"), BundledLibrdkafka.Path, StringComparison.Ordinal);
        Assert.Equal("2.16.0", Library.VersionString);
    }

    [Fact]
    public void The_bundled_build_for_this_platform_is_tried_before_any_other()
    {
        var candidates = BundledLibrdkafka.Candidates(AppContext.BaseDirectory).ToList();
        Assert.NotEmpty(candidates);
        Assert.All(candidates, candidate => Assert.StartsWith(Path.Combine(AppContext.BaseDirectory, "runtimes"), candidate, StringComparison.Ordinal));
        Assert.Contains(BundledLibrdkafka.Path, candidates);
    }
}
