using System.Net;
using System.Net.Http.Json;
using Chirp.Api.Users;

namespace Chirp.Api.IntegrationTests;

public sealed class UserEndpointTests(ChirpApiFixture api) : IClassFixture<ChirpApiFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sign_up_returns_the_user_and_a_first_api_key_shown_once()
    {
        var handle = ApiClient.UniqueHandle();

        using var response = await api.Client.PostAsJsonAsync(
            "/users", new CreateUserRequest(handle, "Ada Lovelace", $"{handle}@example.com", "Counts 🧮"), Cancellation);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<CreatedUserResponse>(Cancellation))!;
        Assert.Equal($"/users/{created.User.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal(handle, created.User.Handle);
        Assert.Equal("Ada Lovelace", created.User.DisplayName);
        Assert.Equal("Counts 🧮", created.User.Bio);
        Assert.Equal($"{handle}@example.com", created.Email);
        Assert.Matches("^chirp_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$", created.ApiKey.Key);
        Assert.StartsWith(created.ApiKey.Prefix, created.ApiKey.Key, StringComparison.Ordinal);
        Assert.Equal(7, created.User.Id.Version);
    }

    [Fact]
    public async Task The_key_is_stored_only_as_its_sha256()
    {
        var user = await api.Client.SignUpAsync();

        await using var command = api.AppDb.CreateCommand("SELECT key_hash FROM api_keys WHERE user_id = $1");
        command.Parameters.AddWithValue(user.Id);
        var stored = (byte[])(await command.ExecuteScalarAsync(Cancellation))!;

        Assert.Equal(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(user.ApiKey)), stored);
    }

    [Fact]
    public async Task Get_returns_the_public_profile()
    {
        var user = await api.Client.SignUpAsync();

        using var response = await api.Client.GetAsync(new Uri($"/users/{user.Id}", UriKind.Relative), Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Cancellation);
        Assert.Contains(user.Handle, body, StringComparison.Ordinal);
        Assert.DoesNotContain("@example.com", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_user_is_404()
    {
        using var response = await api.Client.GetAsync(new Uri($"/users/{Guid.NewGuid()}", UriKind.Relative), Cancellation);

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_taken_handle_is_409_naming_it_whatever_its_case()
    {
        var user = await api.Client.SignUpAsync();

        using var response = await api.Client.PostAsJsonAsync(
            "/users", new CreateUserRequest(user.Handle.ToUpperInvariant(), "Copy", $"other{user.Handle}@example.com"), Cancellation);

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "handle");
    }

    [Fact]
    public async Task A_registered_email_is_409_naming_it()
    {
        var user = await api.Client.SignUpAsync();

        using var response = await api.Client.PostAsJsonAsync(
            "/users", new CreateUserRequest(ApiClient.UniqueHandle(), "Copy", $"{user.Handle}@EXAMPLE.com"), Cancellation);

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "email");
    }
}
