using Chirp.Api.ApiKeys;
using Chirp.Api.Chirps;
using Chirp.Api.Data;
using Chirp.Api.Errors;
using Chirp.Api.OpenApi;
using Chirp.Api.Outbox;
using Chirp.Api.Telemetry;
using Chirp.Api.Timelines;
using Chirp.Api.Users;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddAppDb();
builder.AddTimelines();
builder.AddOutbox();
builder.AddApiKeyAuthentication();
builder.AddErrorHandling();
builder.AddApiDocument();
builder.Services.AddSingleton<ChirpMetrics>();
// Every request here is a small JSON document.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 64 * 1024);

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();

app.MapApiDocument();
app.MapDefaultEndpoints();
app.MapUserEndpoints();
app.MapApiKeyEndpoints();
app.MapChirpEndpoints();

app.Run();

/// <summary>The entry point, public so tests can start the API with WebApplicationFactory&lt;Program&gt;.</summary>
public partial class Program;
