using System.Net;
using System.Net.Http.Json;
using Chirp.Api.ApiKeys;

namespace Chirp.Api.IntegrationTests;

public sealed class ApiKeyEndpointTests(ChirpApiFixture api) : IClassFixture<ChirpApiFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_user_creates_another_key_that_works()
    {
        var user = await api.Client.SignUpAsync();

        using var response = await api.Client.SendAsync(HttpMethod.Post, $"/users/{user.Id}/api-keys", user);
        var key = (await response.Content.ReadFromJsonAsync<NewApiKeyResponse>(Cancellation))!;
        using var chirp = await api.Client.PostChirpAsync(user with { ApiKey = key.Key }, "with my second key");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(HttpStatusCode.Created, chirp.StatusCode);
    }

    [Fact]
    public async Task A_revoked_key_stops_working_and_revoking_again_is_fine()
    {
        var user = await api.Client.SignUpAsync();
        using var created = await api.Client.SendAsync(HttpMethod.Post, $"/users/{user.Id}/api-keys", user);
        var second = (await created.Content.ReadFromJsonAsync<NewApiKeyResponse>(Cancellation))!;

        using var revoke = await api.Client.SendAsync(HttpMethod.Delete, $"/users/{user.Id}/api-keys/{second.Id}", user);
        using var again = await api.Client.SendAsync(HttpMethod.Delete, $"/users/{user.Id}/api-keys/{second.Id}", user);
        using var withRevoked = await api.Client.PostChirpAsync(user with { ApiKey = second.Key }, "should fail");

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        var problem = await withRevoked.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("The API key has been revoked.", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Revoking_a_key_the_user_does_not_have_is_404()
    {
        var user = await api.Client.SignUpAsync();

        using var response = await api.Client.SendAsync(HttpMethod.Delete, $"/users/{user.Id}/api-keys/{Guid.NewGuid()}", user);

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Managing_another_users_keys_is_403()
    {
        var owner = await api.Client.SignUpAsync();
        var other = await api.Client.SignUpAsync();

        using var create = await api.Client.SendAsync(HttpMethod.Post, $"/users/{owner.Id}/api-keys", other);
        using var revoke = await api.Client.SendAsync(HttpMethod.Delete, $"/users/{owner.Id}/api-keys/{Guid.NewGuid()}", other);

        await create.AssertProblemAsync(HttpStatusCode.Forbidden);
        await revoke.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData(null, "An API key is required.")]
    [InlineData("Bearer not-a-key", "The API key is malformed.")]
    [InlineData("Bearer chirp_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "The API key is not valid.")]
    [InlineData("Basic dXNlcjpwYXNz", "An API key is required.")]
    public async Task A_write_without_a_valid_key_is_401_saying_why(string? authorization, string title)
    {
        var user = await api.Client.SignUpAsync();
        using var request = ApiClient.Request(HttpMethod.Post, $"/users/{user.Id}/api-keys");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await api.Client.SendAsync(request, Cancellation);

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(title, problem.GetProperty("title").GetString());
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task The_key_is_also_accepted_in_x_api_key()
    {
        var user = await api.Client.SignUpAsync();
        using var request = ApiClient.Request(HttpMethod.Post, "/chirps", json: new Chirps.CreateChirpRequest("via X-Api-Key"));
        request.Headers.Add("X-Api-Key", user.ApiKey);

        using var response = await api.Client.SendAsync(request, Cancellation);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_correct_prefix_with_a_wrong_secret_is_401()
    {
        var user = await api.Client.SignUpAsync();
        var forged = user.ApiKey[..23] + new string('A', 43);

        using var response = await api.Client.PostChirpAsync(user with { ApiKey = forged }, "forged");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }
}
