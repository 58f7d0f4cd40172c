using System.Net;
using System.Text.Json;

namespace Chirp.Api.IntegrationTests;

public sealed class ApiDocumentTests(ChirpApiFixture api) : IClassFixture<ChirpApiFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_openapi_document_lists_every_endpoint_and_the_key_scheme()
    {
        using var response = await api.Client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative), Cancellation);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(path => path.Name).ToList();
        Assert.Equal(
            ["/chirps", "/chirps/{id}", "/users", "/users/{id}", "/users/{id}/api-keys", "/users/{id}/api-keys/{keyId}", "/users/{id}/chirps"],
            paths.Order(StringComparer.Ordinal));
        Assert.True(document.RootElement.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("ApiKey", out _));
    }

    [Fact]
    public async Task The_docs_ui_is_served()
    {
        using var response = await api.Client.GetAsync(new Uri("/docs/index.html", UriKind.Relative), Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("swagger", await response.Content.ReadAsStringAsync(Cancellation), StringComparison.OrdinalIgnoreCase);
    }
}
