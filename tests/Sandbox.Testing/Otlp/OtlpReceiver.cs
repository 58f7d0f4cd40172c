using System.Buffers.Binary;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sandbox.Testing;

public enum OtlpSignal
{
    Traces,
    Metrics,
    Logs,
}

/// <summary>One export request as the receiver got it; <see cref="Body"/> is the protobuf message (gRPC framing removed).</summary>
public sealed record OtlpExport(OtlpSignal Signal, string Path, string? ContentType, IReadOnlyDictionary<string, string> Headers, byte[] Body);

/// <summary>
/// A real OTLP receiver on 127.0.0.1: OTLP/HTTP (POST /v1/traces, /v1/metrics, /v1/logs, application/x-protobuf) over HTTP/1.1,
/// or OTLP/gRPC (the collector services' Export methods) over cleartext HTTP/2, framed and answered by hand.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<OtlpExport> exports = new();

    private OtlpReceiver(bool grpc)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(
            System.Net.IPAddress.Loopback,
            0,
            listen => listen.Protocols = grpc ? HttpProtocols.Http2 : HttpProtocols.Http1));

        app = builder.Build();
        app.MapPost("/v1/traces", context => ReceiveHttpAsync(context, OtlpSignal.Traces));
        app.MapPost("/v1/metrics", context => ReceiveHttpAsync(context, OtlpSignal.Metrics));
        app.MapPost("/v1/logs", context => ReceiveHttpAsync(context, OtlpSignal.Logs));
        app.MapPost("/opentelemetry.proto.collector.trace.v1.TraceService/Export", context => ReceiveGrpcAsync(context, OtlpSignal.Traces));
        app.MapPost("/opentelemetry.proto.collector.metrics.v1.MetricsService/Export", context => ReceiveGrpcAsync(context, OtlpSignal.Metrics));
        app.MapPost("/opentelemetry.proto.collector.logs.v1.LogsService/Export", context => ReceiveGrpcAsync(context, OtlpSignal.Logs));
    }

    /// <summary>The base endpoint to give OTEL_EXPORTER_OTLP_ENDPOINT.</summary>
    public Uri Endpoint =>
        new(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());

    public IReadOnlyList<OtlpExport> Exports => [.. exports];

    public IEnumerable<OtlpSpan> Spans => Of(OtlpSignal.Traces).SelectMany(export => OtlpDecoder.Spans(export.Body));

    public IEnumerable<OtlpLogRecord> LogRecords => Of(OtlpSignal.Logs).SelectMany(export => OtlpDecoder.LogRecords(export.Body));

    public IEnumerable<OtlpMetric> Metrics => Of(OtlpSignal.Metrics).SelectMany(export => OtlpDecoder.Metrics(export.Body));

    public static async Task<OtlpReceiver> StartAsync(bool grpc = false)
    {
        var receiver = new OtlpReceiver(grpc);
        await receiver.app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    private IEnumerable<OtlpExport> Of(OtlpSignal signal) => exports.Where(export => export.Signal == signal);

    private async Task ReceiveHttpAsync(HttpContext context, OtlpSignal signal)
    {
        var body = await ReadBodyAsync(context);
        Record(context, signal, body);
        context.Response.ContentType = "application/x-protobuf";
    }

    private async Task ReceiveGrpcAsync(HttpContext context, OtlpSignal signal)
    {
        // A gRPC message: 1 byte "compressed" flag, 4 bytes big-endian length, then the protobuf message.
        var frame = await ReadBodyAsync(context);
        var length = BinaryPrimitives.ReadInt32BigEndian(frame.AsSpan(1, 4));
        Record(context, signal, frame.AsSpan(5, length).ToArray());

        context.Response.ContentType = "application/grpc";
        await context.Response.Body.WriteAsync(new byte[5]); // an empty Export*ServiceResponse
        context.Response.AppendTrailer("grpc-status", "0");
    }

    private void Record(HttpContext context, OtlpSignal signal, byte[] body)
    {
        var headers = context.Request.Headers.ToDictionary(header => header.Key, header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        exports.Enqueue(new OtlpExport(signal, context.Request.Path.Value!, context.Request.ContentType, headers, body));
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        return buffer.ToArray();
    }
}
