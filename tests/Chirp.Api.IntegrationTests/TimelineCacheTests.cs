using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using Chirp.Api.Chirps;
using Chirp.Api.Timelines;
using Microsoft.Extensions.DependencyInjection;
using Sandbox.Testing;

namespace Chirp.Api.IntegrationTests;

public sealed class TimelineCacheTests(ChirpApiFixture api, RedisFixture redis) : IClassFixture<ChirpApiFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_first_page_is_cached_then_served_from_redis()
    {
        var user = await api.Client.SignUpAsync();
        await api.Client.ChirpAsync(user, "cache me");
        using var metrics = new MetricRecorder(api.Factory.Services.GetRequiredService<IMeterFactory>());

        var miss = await TimelineAsync(user.Id);
        var cachedAfterMiss = await redis.Database.KeyExistsAsync(TimelineCache.Key(user.Id));
        var hit = await TimelineAsync(user.Id, limit: 1);

        Assert.True(cachedAfterMiss, "the miss should have filled the cache");
        Assert.Equal(1, metrics.Total("chirp.timeline_cache.misses"));
        Assert.Equal(1, metrics.Total("chirp.timeline_cache.hits"));
        Assert.Equal(miss.Items, hit.Items);
        var ttl = await redis.Database.KeyTimeToLiveAsync(TimelineCache.Key(user.Id));
        Assert.InRange(ttl!.Value, TimeSpan.FromSeconds(1), TimelineCache.TimeToLive);
    }

    [Fact]
    public async Task Creating_and_deleting_a_chirp_invalidate_the_cached_page()
    {
        var user = await api.Client.SignUpAsync();
        var first = await api.Client.ChirpAsync(user, "first");
        await TimelineAsync(user.Id);

        var second = await api.Client.ChirpAsync(user, "second");
        var goneAfterCreate = !await redis.Database.KeyExistsAsync(TimelineCache.Key(user.Id));
        var afterCreate = await TimelineAsync(user.Id);
        using (await api.Client.SendAsync(HttpMethod.Delete, $"/chirps/{first.Id}", user))
        {
        }

        var goneAfterDelete = !await redis.Database.KeyExistsAsync(TimelineCache.Key(user.Id));
        var afterDelete = await TimelineAsync(user.Id);

        Assert.True(goneAfterCreate, "a new chirp should invalidate the cached page");
        Assert.Equal([second.Id, first.Id], afterCreate.Items.Select(chirp => chirp.Id));
        Assert.True(goneAfterDelete, "a deletion should invalidate the cached page");
        Assert.Equal([second.Id], afterDelete.Items.Select(chirp => chirp.Id));
    }

    [Fact]
    public async Task With_redis_unreachable_reads_and_writes_still_succeed_from_the_database()
    {
        var user = await api.Client.SignUpAsync();
        await using var noRedis = api.CreateFactory(settings => settings["ConnectionStrings:redis"] = "127.0.0.1:1,password=unused");
        using var client = noRedis.CreateClient();
        using var metrics = new MetricRecorder(noRedis.Services.GetRequiredService<IMeterFactory>());

        var chirp = await client.ChirpAsync(user, "Redis is down");
        using var timeline = await client.GetAsync(new Uri($"/users/{user.Id}/chirps", UriKind.Relative), Cancellation);
        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), Cancellation);

        Assert.Equal(HttpStatusCode.OK, timeline.StatusCode);
        Assert.Equal([chirp.Id], (await timeline.Content.ReadFromJsonAsync<TimelinePage>(Cancellation))!.Items.Select(item => item.Id));
        Assert.True(metrics.Total("chirp.timeline_cache.errors") >= 2, "the failed GET and SET (and DEL) should be counted");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("\"Degraded\"", await ready.Content.ReadAsStringAsync(Cancellation), StringComparison.Ordinal);
    }

    private async Task<TimelinePage> TimelineAsync(Guid userId, int limit = 20) =>
        (await api.Client.GetFromJsonAsync<TimelinePage>($"/users/{userId}/chirps?limit={limit}", Cancellation))!;
}
