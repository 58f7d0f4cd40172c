using Sandbox.Testing;
using StackExchange.Redis;

namespace Infrastructure.IntegrationTests;

public sealed class RedisTests(RedisFixture redis)
{
    [Fact]
    public async Task Set_with_ttl_then_get()
    {
        var key = RedisFixture.UniqueKeyPrefix("infra") + "greeting";

        await redis.Database.StringSetAsync(key, "hello", TimeSpan.FromMinutes(1));

        Assert.Equal("hello", (string?)await redis.Database.StringGetAsync(key));
        var ttl = await redis.Database.KeyTimeToLiveAsync(key);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Published_message_reaches_a_subscriber()
    {
        var channel = RedisChannel.Literal(RedisFixture.UniqueKeyPrefix("infra") + "channel");
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscriber = redis.Connection.GetSubscriber();
        await subscriber.SubscribeAsync(channel, (_, message) => received.TrySetResult(message!));

        await subscriber.PublishAsync(channel, "ping");

        Assert.Equal("ping", await received.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        await subscriber.UnsubscribeAsync(channel);
    }

    [Fact]
    public async Task Server_keeps_nothing_on_disk()
    {
        var server = redis.Connection.GetServer(redis.Connection.GetEndPoints()[0]);

        var save = (await server.ConfigGetAsync("save")).Single();
        var appendOnly = (await server.ConfigGetAsync("appendonly")).Single();

        Assert.Equal(string.Empty, save.Value);
        Assert.Equal("no", appendOnly.Value);
    }
}
