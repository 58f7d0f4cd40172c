using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Chirp.Api.Chirps;
using Chirp.Api.Users;

namespace Chirp.Api.IntegrationTests;

/// <summary>A signed-up user and the API key POST /users returned.</summary>
public sealed record TestUser(Guid Id, string Handle, string ApiKey);

/// <summary>The calls most tests make, spelled once.</summary>
public static class ApiClient
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public static string UniqueHandle() => $"u_{Guid.NewGuid():N}"[..20];

    public static async Task<TestUser> SignUpAsync(this HttpClient client)
    {
        var handle = UniqueHandle();
        using var response = await client.PostAsJsonAsync(
            "/users", new CreateUserRequest(handle, "Test User", $"{handle}@example.com"), Cancellation);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<CreatedUserResponse>(Cancellation))!;
        return new TestUser(created.User.Id, handle, created.ApiKey.Key);
    }

    public static HttpRequestMessage Request(HttpMethod method, string path, TestUser? user = null, object? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (user is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.ApiKey);
        }

        if (json is not null)
        {
            request.Content = JsonContent.Create(json, json.GetType());
        }

        return request;
    }

    public static async Task<HttpResponseMessage> PostChirpAsync(this HttpClient client, TestUser user, string body, string? idempotencyKey = null)
    {
        using var request = Request(HttpMethod.Post, "/chirps", user, new CreateChirpRequest(body));
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request, Cancellation);
    }

    public static async Task<ChirpResponse> ChirpAsync(this HttpClient client, TestUser user, string body)
    {
        using var response = await client.PostChirpAsync(user, body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ChirpResponse>(Cancellation))!;
    }

    public static async Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string path, TestUser? user = null, object? json = null)
    {
        using var request = Request(method, path, user, json);
        return await client.SendAsync(request, Cancellation);
    }
}
