using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Chirp.Api.IntegrationTests;

/// <summary>
/// Every kind of bad input gets a problem response with the right status naming the field; none gets a 500.
/// "{me}" in a path stands for the calling user's id.
/// </summary>
public sealed class BadInputTests(ChirpApiFixture api) : IClassFixture<ChirpApiFixture>
{
    private const string Json = "application/json";
    private const string ValidUser = """{"handle":"valid_handle","displayName":"Valid","email":"valid@example.com"}""";

    [Theory]
    // POST /users: each field's rules
    [InlineData("POST", "/users", """{"handle":"ab","displayName":"x","email":"a@b.co"}""", Json, 400, "handle")]
    [InlineData("POST", "/users", """{"handle":"has space","displayName":"x","email":"a@b.co"}""", Json, 400, "handle")]
    [InlineData("POST", "/users", """{"displayName":"x","email":"a@b.co"}""", Json, 400, "handle")]
    [InlineData("POST", "/users", """{"handle":"fine_handle","displayName":"","email":"a@b.co"}""", Json, 400, "displayName")]
    [InlineData("POST", "/users", """{"handle":"fine_handle","displayName":"   ","email":"a@b.co"}""", Json, 400, "displayName")]
    [InlineData("POST", "/users", """{"handle":"fine_handle","displayName":"123456789012345678901234567890123456789012345678901","email":"a@b.co"}""", Json, 400, "displayName")]
    [InlineData("POST", "/users", """{"handle":"fine_handle","displayName":"nul\u0000here","email":"a@b.co"}""", Json, 400, "displayName")]
    [InlineData("POST", "/users", """{"handle":"fine_handle","displayName":"lone \ud800 surrogate","email":"a@b.co"}""", Json, 400, "displayName")]
    [InlineData("POST", "/users", """{"handle":"fine_handle","displayName":"x","email":"not-an-email"}""", Json, 400, "email")]
    [InlineData("POST", "/users", """{"handle":"fine_handle","displayName":"x","email":"Ada <ada@example.com>"}""", Json, 400, "email")]
    [InlineData("POST", "/users", """{"handle":"fine_handle","displayName":"x"}""", Json, 400, "email")]
    [InlineData("POST", "/users", """{"handle":"fine_handle","displayName":"x","email":"a@b.co","bio":"12345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901"}""", Json, 400, "bio")]
    // POST /users: JSON that does not bind
    [InlineData("POST", "/users", """{"handle":123,"displayName":"x","email":"a@b.co"}""", Json, 400, "handle")]
    [InlineData("POST", "/users", """{"handle":"fine_handle","displayName":{"nested":true},"email":"a@b.co"}""", Json, 400, "displayName")]
    [InlineData("POST", "/users", """{"handle":""", Json, 400, "handle")] // cut off where handle's value should be
    [InlineData("POST", "/users", """[1,2,3]""", Json, 400, "$")]
    [InlineData("POST", "/users", """null""", Json, 400, "$")]
    [InlineData("POST", "/users", "", Json, 400, "$")]
    [InlineData("POST", "/users", null, null, 400, "$")]
    [InlineData("POST", "/users", "not json at all", Json, 400, "$")]
    [InlineData("POST", "/users", ValidUser, "text/plain", 415, null)]
    // POST /chirps
    [InlineData("POST", "/chirps", """{"body":""}""", Json, 400, "body")]
    [InlineData("POST", "/chirps", """{"body":"   \n  "}""", Json, 400, "body")]
    [InlineData("POST", "/chirps", """{"body":"12345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890X"}""", Json, 400, "body")]
    [InlineData("POST", "/chirps", """{"body":"bell \u0007"}""", Json, 400, "body")]
    [InlineData("POST", "/chirps", """{"body":"nul \u0000"}""", Json, 400, "body")]
    [InlineData("POST", "/chirps", """{}""", Json, 400, "body")]
    [InlineData("POST", "/chirps", """{"body":5}""", Json, 400, "body")]
    [InlineData("POST", "/chirps", """{"body":["a"]}""", Json, 400, "body")]
    // Ids in routes
    [InlineData("GET", "/chirps/not-a-uuid", null, null, 400, "id")]
    [InlineData("GET", "/chirps/123", null, null, 400, "id")]
    [InlineData("DELETE", "/chirps/not-a-uuid", null, null, 400, "id")]
    [InlineData("GET", "/users/nope", null, null, 400, "id")]
    [InlineData("GET", "/users/nope/chirps", null, null, 400, "id")]
    [InlineData("POST", "/users/nope/api-keys", null, null, 400, "id")]
    [InlineData("DELETE", "/users/{me}/api-keys/nope", null, null, 400, "keyId")]
    // Timeline query string
    [InlineData("GET", "/users/{me}/chirps?limit=0", null, null, 400, "limit")]
    [InlineData("GET", "/users/{me}/chirps?limit=101", null, null, 400, "limit")]
    [InlineData("GET", "/users/{me}/chirps?limit=-5", null, null, 400, "limit")]
    [InlineData("GET", "/users/{me}/chirps?limit=ten", null, null, 400, "limit")]
    [InlineData("GET", "/users/{me}/chirps?limit=99999999999", null, null, 400, "limit")]
    [InlineData("GET", "/users/{me}/chirps?after=garbage", null, null, 400, "after")]
    [InlineData("GET", "/users/{me}/chirps?after=", null, null, 400, "after")]
    [InlineData("GET", "/users/{me}/chirps?after=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", null, null, 400, "after")]
    [InlineData("GET", "/users/{me}/chirps?after=_____________________________________w", null, null, 400, "after")]
    // Unknown routes and methods are problems too
    [InlineData("GET", "/no/such/route", null, null, 404, null)]
    [InlineData("PUT", "/chirps/00000000-0000-0000-0000-000000000000", """{"body":"x"}""", Json, 405, null)]
    public async Task Bad_input_gets_a_problem_naming_the_field_never_a_500(
        string method, string path, string? body, string? contentType, int status, string? field)
    {
        var user = await api.Client.SignUpAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{me}", user.Id.ToString(), StringComparison.Ordinal));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.ApiKey);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = contentType is null ? null : new MediaTypeHeaderValue(contentType);
        }

        using var response = await api.Client.SendAsync(request, TestContext.Current.CancellationToken);

        await response.AssertProblemAsync((HttpStatusCode)status, field);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("has space in the middle of it")]
    [InlineData("ünïcödé-key-that-is-long-enough")]
    public async Task A_bad_idempotency_key_is_400_naming_the_header(string key)
    {
        var user = await api.Client.SignUpAsync();
        using var request = ApiClient.Request(HttpMethod.Post, "/chirps", user, new Chirps.CreateChirpRequest("hi"));
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);

        using var response = await api.Client.SendAsync(request, TestContext.Current.CancellationToken);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "Idempotency-Key");
    }

    [Fact]
    public async Task A_huge_body_is_refused_with_a_problem_not_a_500()
    {
        var user = await api.Client.SignUpAsync();
        using var request = ApiClient.Request(HttpMethod.Post, "/chirps", user);
        request.Content = new StringContent($$"""{"body":"{{new string('a', 200_000)}}"}""", Encoding.UTF8, Json);

        using var response = await api.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, $"got {(int)response.StatusCode}");
        await response.AssertProblemAsync(response.StatusCode);
    }
}
