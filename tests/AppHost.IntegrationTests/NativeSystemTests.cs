using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace AppHost.IntegrationTests;

/// <summary>The system the AppHost starts in native mode, used as a learner would: through chirp-api and audit-service.</summary>
[Collection(nameof(NativeSystem))]
public sealed class NativeSystemTests(NativeSystemFixture system)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void The_migrator_finished_with_exit_code_zero()
    {
        Assert.True(system.App.ResourceNotifications.TryGetCurrentState("migrator", out var migrator));
        Assert.Equal(KnownResourceStates.Finished, migrator.Snapshot.State?.Text);
        Assert.Equal(0, migrator.Snapshot.ExitCode);
    }

    [Theory]
    [InlineData("chirp-api")]
    [InlineData("audit-service")]
    public async Task A_service_answers_ready(string service)
    {
        using var client = system.App.CreateHttpClient(service, "http");
        using var response = await client.GetAsync("/health/ready", Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal("Healthy", JsonDocument.Parse(body).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_chirp_posted_to_chirp_api_is_found_in_the_audit_log_and_its_chain_verifies()
    {
        using var chirps = system.App.CreateHttpClient("chirp-api", "http");
        using var audit = system.App.CreateHttpClient("audit-service", "http");

        var handle = $"e2e_{Guid.NewGuid():N}"[..20];
        using var signUp = await chirps.PostAsJsonAsync("/users", new { handle, displayName = "End To End", email = $"{handle}@example.com" }, Cancel);
        Assert.Equal(HttpStatusCode.Created, signUp.StatusCode);
        var created = await signUp.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var userId = created.GetProperty("user").GetProperty("id").GetString();
        var apiKey = created.GetProperty("apiKey").GetProperty("key").GetString();

        using var post = new HttpRequestMessage(HttpMethod.Post, "/chirps") { Content = JsonContent.Create(new { body = "hello from the AppHost test" }) };
        post.Headers.Authorization = new("Bearer", apiKey);
        using var posted = await chirps.SendAsync(post, Cancel);
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);

        var events = await Eventually.GetAsync(async () =>
        {
            var found = await audit.GetFromJsonAsync<JsonElement>($"/audit/events?actorId={userId}", Cancel);
            var items = found.GetProperty("items");
            return items.EnumerateArray().Any(item => item.GetProperty("action").GetString() == "chirp.created") ? items : (JsonElement?)null;
        }, TimeSpan.FromSeconds(60), () => system.Logs.Tail("audit-service"));
        var actions = events.EnumerateArray().Select(item => item.GetProperty("action").GetString()).ToList();
        Assert.Contains("user.created", actions);
        Assert.Contains("chirp.created", actions);

        var verified = await audit.GetFromJsonAsync<JsonElement>($"/audit/streams/{userId}/verify", Cancel);
        Assert.True(verified.GetProperty("valid").GetBoolean(), verified.ToString());
    }

    [Fact]
    public async Task One_trace_holds_the_post_in_chirp_api_and_the_audit_insert_in_audit_service()
    {
        using var chirps = system.App.CreateHttpClient("chirp-api", "http");
        var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        var handle = $"tr_{Guid.NewGuid():N}"[..20];

        // The test is the trace's root: chirp-api continues the traceparent it is sent, as behind any traced caller.
        using var signUp = new HttpRequestMessage(HttpMethod.Post, "/users")
        {
            Content = JsonContent.Create(new { handle, displayName = "Traced", email = $"{handle}@example.com" }),
        };
        signUp.Headers.Add("traceparent", $"00-{traceId}-{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..16]}-01");
        using var created = await chirps.SendAsync(signUp, Cancel);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var services = await Eventually.GetAsync<int>(() =>
        {
            var names = system.Telemetry.Spans
                .Where(span => span.TraceId == traceId)
                .Select(span => span.Resource.GetValueOrDefault("service.name"))
                .ToHashSet();
            return Task.FromResult<int?>(names.Contains("chirp-api") && names.Contains("audit-service") ? names.Count : null);
        }, TimeSpan.FromSeconds(60), () => string.Join(Environment.NewLine, system.Telemetry.Spans
            .Where(span => span.TraceId == traceId)
            .Select(span => $"{span.Resource.GetValueOrDefault("service.name")}: {span.Name}")));
        Assert.True(services >= 2);

        var spans = system.Telemetry.Spans.Where(span => span.TraceId == traceId).ToList();
        Assert.Contains(spans, span => span.Resource.GetValueOrDefault("service.name") == "chirp-api" && span.Name.StartsWith("POST /users", StringComparison.Ordinal));
        Assert.Contains(spans, span => span.Resource.GetValueOrDefault("service.name") == "audit-service" && span.Name.StartsWith("audit insert", StringComparison.Ordinal));
    }
}
