using System.Net;

namespace Chirp.Api.IntegrationTests;

/// <summary>The contract: the API reads ConnectionStrings:&lt;name&gt;, and a missing one is named in one line.</summary>
public sealed class ConnectionStringTests(ChirpApiFixture api) : IClassFixture<ChirpApiFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_appdb_the_api_refuses_to_start_naming_the_variable()
    {
        await using var noAppDb = api.CreateFactory(settings => settings["ConnectionStrings:appdb"] = "");

        var error = Record.Exception(() => noAppDb.CreateClient());

        Assert.NotNull(error);
        Assert.Contains("ConnectionStrings__appdb is not set. Aspire sets it; in native mode run `scripts/infra up`", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_redis_the_api_serves_timelines_from_the_database_and_is_degraded_naming_the_variable()
    {
        var user = await api.Client.SignUpAsync();
        await using var noRedis = api.CreateFactory(settings => settings["ConnectionStrings:redis"] = "");
        using var client = noRedis.CreateClient();

        var chirp = await client.ChirpAsync(user, "no Redis configured");
        using var timeline = await client.GetAsync(new Uri($"/users/{user.Id}/chirps", UriKind.Relative), Cancellation);
        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), Cancellation);
        var readiness = await ready.Content.ReadAsStringAsync(Cancellation);

        Assert.Equal(HttpStatusCode.OK, timeline.StatusCode);
        Assert.Contains(chirp.Id.ToString(), await timeline.Content.ReadAsStringAsync(Cancellation), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("\"Degraded\"", readiness, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__redis is not set", readiness, StringComparison.Ordinal);
    }
}
