using System.Net;
using System.Net.Http.Json;
using Chirp.Api.Chirps;

namespace Chirp.Api.IntegrationTests;

public sealed class ChirpEndpointTests(ChirpApiFixture api) : IClassFixture<ChirpApiFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_chirp_is_created_and_read_back()
    {
        var user = await api.Client.SignUpAsync();

        using var created = await api.Client.PostChirpAsync(user, "Hello, sandbox!");
        var chirp = (await created.Content.ReadFromJsonAsync<ChirpResponse>(Cancellation))!;
        var read = await api.Client.GetFromJsonAsync<ChirpResponse>($"/chirps/{chirp.Id}", Cancellation);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/chirps/{chirp.Id}", created.Headers.Location?.OriginalString);
        Assert.Equal(user.Id, chirp.AuthorId);
        Assert.Equal(chirp, read);
    }

    [Theory]
    [InlineData(140, "a")]
    [InlineData(140, "👍")] // one code point, two UTF-16 chars: 140 of them fit
    [InlineData(70, "e\u0301")] // e + combining acute accent: two code points each
    public async Task Up_to_140_code_points_fit(int repeat, string unit)
    {
        var user = await api.Client.SignUpAsync();

        using var response = await api.Client.PostChirpAsync(user, string.Concat(Enumerable.Repeat(unit, repeat)));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Line_breaks_are_allowed_in_a_chirp()
    {
        var user = await api.Client.SignUpAsync();

        using var response = await api.Client.PostChirpAsync(user, "two\nlines");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task An_author_deletes_their_chirp_and_it_is_gone()
    {
        var user = await api.Client.SignUpAsync();
        var chirp = await api.Client.ChirpAsync(user, "short-lived");

        using var delete = await api.Client.SendAsync(HttpMethod.Delete, $"/chirps/{chirp.Id}", user);
        using var get = await api.Client.GetAsync(new Uri($"/chirps/{chirp.Id}", UriKind.Relative), Cancellation);
        using var deleteAgain = await api.Client.SendAsync(HttpMethod.Delete, $"/chirps/{chirp.Id}", user);

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await get.AssertProblemAsync(HttpStatusCode.NotFound);
        await deleteAgain.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Deleting_another_users_chirp_is_403_and_leaves_it()
    {
        var author = await api.Client.SignUpAsync();
        var other = await api.Client.SignUpAsync();
        var chirp = await api.Client.ChirpAsync(author, "mine");

        using var delete = await api.Client.SendAsync(HttpMethod.Delete, $"/chirps/{chirp.Id}", other);
        using var get = await api.Client.GetAsync(new Uri($"/chirps/{chirp.Id}", UriKind.Relative), Cancellation);

        await delete.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
    }

    [Fact]
    public async Task Unknown_chirps_are_404()
    {
        var user = await api.Client.SignUpAsync();

        using var get = await api.Client.GetAsync(new Uri($"/chirps/{Guid.NewGuid()}", UriKind.Relative), Cancellation);
        using var delete = await api.Client.SendAsync(HttpMethod.Delete, $"/chirps/{Guid.NewGuid()}", user);

        await get.AssertProblemAsync(HttpStatusCode.NotFound);
        await delete.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Writes_without_a_key_are_401()
    {
        using var post = await api.Client.SendAsync(HttpMethod.Post, "/chirps", json: new CreateChirpRequest("anonymous"));
        using var delete = await api.Client.SendAsync(HttpMethod.Delete, $"/chirps/{Guid.NewGuid()}");

        await post.AssertProblemAsync(HttpStatusCode.Unauthorized);
        await delete.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_timeline_pages_newest_first_with_a_cursor_until_the_end()
    {
        var user = await api.Client.SignUpAsync();
        var written = new List<ChirpResponse>();
        for (var i = 0; i < 25; i++)
        {
            written.Add(await api.Client.ChirpAsync(user, $"chirp {i}"));
        }

        var pages = new List<TimelinePage>();
        string? cursor = null;
        do
        {
            var path = $"/users/{user.Id}/chirps?limit=10" + (cursor is null ? "" : $"&after={cursor}");
            var page = (await api.Client.GetFromJsonAsync<TimelinePage>(path, Cancellation))!;
            pages.Add(page);
            cursor = page.NextCursor;
        }
        while (cursor is not null && pages.Count < 10);

        Assert.Equal([10, 10, 5], pages.Select(page => page.Items.Count));
        Assert.Equal(
            written.OrderByDescending(chirp => chirp.CreatedAt).ThenByDescending(chirp => chirp.Id).Select(chirp => chirp.Id),
            pages.SelectMany(page => page.Items).Select(chirp => chirp.Id));
    }

    [Fact]
    public async Task An_exactly_full_last_page_has_no_cursor_and_an_empty_timeline_is_empty()
    {
        var user = await api.Client.SignUpAsync();
        var quiet = await api.Client.SignUpAsync();
        for (var i = 0; i < 3; i++)
        {
            await api.Client.ChirpAsync(user, $"chirp {i}");
        }

        var full = (await api.Client.GetFromJsonAsync<TimelinePage>($"/users/{user.Id}/chirps?limit=3", Cancellation))!;
        var empty = (await api.Client.GetFromJsonAsync<TimelinePage>($"/users/{quiet.Id}/chirps", Cancellation))!;

        Assert.Equal(3, full.Items.Count);
        Assert.Null(full.NextCursor);
        Assert.Empty(empty.Items);
        Assert.Null(empty.NextCursor);
    }

    [Fact]
    public async Task The_timeline_of_an_unknown_user_is_404()
    {
        using var response = await api.Client.GetAsync(new Uri($"/users/{Guid.NewGuid()}/chirps", UriKind.Relative), Cancellation);

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
