using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ServiceDefaults.Tests;

/// <summary>One request as the flaky server saw it.</summary>
internal sealed record Attempt(string Method, string? TraceParent);

/// <summary>
/// A real Kestrel server on 127.0.0.1 that fails on purpose and counts, per key, the attempts it got.
/// /fail/{key}?times=N&amp;status=S fails N times with status S, then answers 200;
/// /hang/{key}?times=N hangs N times until the client gives up, then answers 200.
/// </summary>
public sealed class FlakyServer : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Attempt>> attempts = new();
    private WebApplication? app;

    public Uri BaseAddress => app!.BaseAddress();

    internal IReadOnlyList<Attempt> AttemptsOf(string key) => attempts.TryGetValue(key, out var queue) ? [.. queue] : [];

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        app = builder.Build();

        app.Map("/fail/{key}", async (HttpContext context, string key, int times, int status) =>
            await RecordAsync(context, key) > times ? Results.Text("ok") : Results.StatusCode(status));

        app.Map("/hang/{key}", async (HttpContext context, string key, int times) =>
        {
            var count = await RecordAsync(context, key);
            if (count <= times)
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            }

            return Results.Text("ok");
        });

        await app.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    private async Task<int> RecordAsync(HttpContext context, string key)
    {
        // Read the body whole, as a real endpoint would, before answering.
        await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
        var queue = attempts.GetOrAdd(key, _ => new ConcurrentQueue<Attempt>());
        queue.Enqueue(new Attempt(context.Request.Method, context.Request.Headers.TraceParent.ToString()));
        return queue.Count;
    }
}
