using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace ServiceDefaults;

/// <summary>
/// ASP.NET Core 10 starts a span per request but names it "Microsoft.AspNetCore.Hosting.HttpRequestIn" and gives it no
/// attributes (the OpenTelemetry.Instrumentation.AspNetCore package, absent from the feed, normally does this). First in the
/// pipeline, this names the span "METHOD {route}" with the HTTP semantic-convention attributes, and leaves health probes out
/// of traces.
/// </summary>
internal sealed class HttpServerSpanEnricher : IStartupFilter
{
    private static readonly HashSet<string> KnownMethods =
        new(["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "QUERY"], StringComparer.Ordinal);

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(EnrichAsync);
        next(app);
    };

    private static async Task EnrichAsync(HttpContext context, RequestDelegate next)
    {
        var activity = context.Features.Get<IHttpActivityFeature>()?.Activity;
        if (activity is null || !activity.IsAllDataRequested)
        {
            await next(context);
            return;
        }

        if (HealthEndpointExtensions.IsHealthPath(context.Request.Path))
        {
            // Not recorded: no exporter sees the span, and its children (a health check's own calls) are not sampled.
            activity.IsAllDataRequested = false;
            activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            await next(context);
            return;
        }

        var request = context.Request;
        var method = KnownMethods.Contains(request.Method) ? request.Method : "_OTHER";
        activity.SetTag("http.request.method", method);
        if (method == "_OTHER")
        {
            activity.SetTag("http.request.method_original", request.Method);
        }

        activity.SetTag("url.scheme", request.Scheme);
        activity.SetTag("url.path", request.Path.Value);
        activity.SetTag("server.address", request.Host.Host);
        if (request.Host.Port is int port)
        {
            activity.SetTag("server.port", port);
        }

        activity.SetTag("network.protocol.version", ProtocolVersion(request.Protocol));
        if (request.Headers.UserAgent.Count > 0)
        {
            activity.SetTag("user_agent.original", request.Headers.UserAgent.ToString());
        }

        try
        {
            await next(context);
        }
        catch (Exception exception)
        {
            activity.AddException(exception);
            activity.SetTag("error.type", exception.GetType().FullName);
            activity.SetStatus(ActivityStatusCode.Error, exception.Message);
            Complete(activity, context, method, context.Response.HasStarted ? context.Response.StatusCode : StatusCodes.Status500InternalServerError);
            throw;
        }

        Complete(activity, context, method, context.Response.StatusCode);
    }

    private static void Complete(Activity activity, HttpContext context, string method, int statusCode)
    {
        // The same route text ASP.NET Core puts on its http.server.request.duration metric.
        var route = context.GetEndpoint()?.Metadata.GetMetadata<IRouteDiagnosticsMetadata>()?.Route;
        var name = method == "_OTHER" ? "HTTP" : method;
        if (!string.IsNullOrEmpty(route))
        {
            activity.SetTag("http.route", route);
            name = $"{name} {route}";
        }

        activity.DisplayName = name;
        activity.SetTag("http.response.status_code", statusCode);
        if (statusCode >= 500 && activity.Status != ActivityStatusCode.Error)
        {
            activity.SetTag("error.type", statusCode.ToString(CultureInfo.InvariantCulture));
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }

    private static string ProtocolVersion(string protocol) => protocol switch
    {
        "HTTP/1.0" => "1.0",
        "HTTP/1.1" => "1.1",
        "HTTP/2" => "2",
        "HTTP/3" => "3",
        _ => protocol,
    };
}
