using System.Net;
using System.Net.Http.Json;
using Chirp.Api.Chirps;
using Chirp.Api.Users;

namespace Chirp.Api.IntegrationTests;

public sealed class IdempotencyTests(ChirpApiFixture api) : IClassFixture<ChirpApiFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_retried_post_returns_the_first_response_and_creates_one_chirp()
    {
        var user = await api.Client.SignUpAsync();
        var key = Guid.NewGuid().ToString();

        using var first = await api.Client.PostChirpAsync(user, "only once", key);
        using var retry = await api.Client.PostChirpAsync(user, "only once", key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(Cancellation), await retry.Content.ReadAsStringAsync(Cancellation));
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chirps WHERE author_id = $1", user.Id));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM outbox WHERE key = $1::text AND type = 'chirp.created'", user.Id));
    }

    [Fact]
    public async Task Concurrent_posts_with_one_key_create_one_chirp_and_all_get_its_response()
    {
        var user = await api.Client.SignUpAsync();
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => api.Client.PostChirpAsync(user, "racing", key)));
        var bodies = await Task.WhenAll(responses.Select(response => response.Content.ReadAsStringAsync(Cancellation)));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.Created, response.StatusCode));
        Assert.Single(bodies.Distinct(StringComparer.Ordinal));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chirps WHERE author_id = $1", user.Id));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_422_naming_the_header()
    {
        var user = await api.Client.SignUpAsync();
        var key = Guid.NewGuid().ToString();
        using var first = await api.Client.PostChirpAsync(user, "first body", key);

        using var second = await api.Client.PostChirpAsync(user, "another body", key);

        await second.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "Idempotency-Key");
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chirps WHERE author_id = $1", user.Id));
    }

    [Fact]
    public async Task Keys_are_scoped_per_caller()
    {
        var alice = await api.Client.SignUpAsync();
        var bob = await api.Client.SignUpAsync();
        var key = Guid.NewGuid().ToString();

        using var fromAlice = await api.Client.PostChirpAsync(alice, "same words", key);
        using var fromBob = await api.Client.PostChirpAsync(bob, "same words", key);

        var aliceChirp = (await fromAlice.Content.ReadFromJsonAsync<ChirpResponse>(Cancellation))!;
        var bobChirp = (await fromBob.Content.ReadFromJsonAsync<ChirpResponse>(Cancellation))!;
        Assert.Equal(alice.Id, aliceChirp.AuthorId);
        Assert.Equal(bob.Id, bobChirp.AuthorId);
    }

    [Fact]
    public async Task A_failed_request_is_not_remembered_so_a_corrected_retry_succeeds()
    {
        var user = await api.Client.SignUpAsync();
        var key = Guid.NewGuid().ToString();

        using var invalid = await api.Client.PostChirpAsync(user, "", key);
        using var valid = await api.Client.PostChirpAsync(user, "now with a body", key);

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.Created, valid.StatusCode);
    }

    [Fact]
    public async Task A_retried_sign_up_returns_the_same_user_and_key_and_no_readable_key_is_stored()
    {
        var handle = ApiClient.UniqueHandle();
        var request = new CreateUserRequest(handle, "Once", $"{handle}@example.com");
        var key = Guid.NewGuid().ToString();

        var first = await PostUserAsync(request, key);
        var retry = await PostUserAsync(request, key);

        Assert.Equal(first.User.Id, retry.User.Id);
        Assert.Equal(first.ApiKey.Key, retry.ApiKey.Key);
        await using var stored = api.AppDb.CreateCommand("SELECT response FROM idempotency_keys WHERE scope = 'anonymous'");
        await using var reader = await stored.ExecuteReaderAsync(Cancellation);
        while (await reader.ReadAsync(Cancellation))
        {
            var bytes = (byte[])reader[0];
            Assert.DoesNotContain(first.ApiKey.Prefix, System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_post_without_a_key_is_not_deduplicated()
    {
        var user = await api.Client.SignUpAsync();

        using var first = await api.Client.PostChirpAsync(user, "twice on purpose");
        using var second = await api.Client.PostChirpAsync(user, "twice on purpose");

        Assert.Equal(2, await CountAsync("SELECT count(*) FROM chirps WHERE author_id = $1", user.Id));
    }

    private async Task<CreatedUserResponse> PostUserAsync(CreateUserRequest body, string key)
    {
        using var request = ApiClient.Request(HttpMethod.Post, "/users", json: body);
        request.Headers.Add("Idempotency-Key", key);
        using var response = await api.Client.SendAsync(request, Cancellation);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CreatedUserResponse>(Cancellation))!;
    }

    private async Task<long> CountAsync(string sql, Guid userId)
    {
        await using var command = api.AppDb.CreateCommand(sql);
        command.Parameters.AddWithValue(userId);
        return (long)(await command.ExecuteScalarAsync(Cancellation))!;
    }
}
