using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ServiceDefaults;

/// <summary>
/// Writes a health report as JSON: overall status and duration, then each check's name, status, duration, description,
/// error message (never a stack trace) and data.
/// </summary>
internal static class HealthResponseWriter
{
    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";

        using var buffer = new MemoryStream();
        await using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("status", report.Status.ToString());
            json.WriteNumber("durationMs", Milliseconds(report.TotalDuration));
            json.WriteStartArray("checks");
            foreach (var (name, entry) in report.Entries)
            {
                WriteEntry(json, name, entry);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted);
    }

    private static void WriteEntry(Utf8JsonWriter json, string name, HealthReportEntry entry)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("status", entry.Status.ToString());
        json.WriteNumber("durationMs", Milliseconds(entry.Duration));
        json.WriteString("description", entry.Description);
        if (entry.Exception is not null)
        {
            json.WriteString("error", entry.Exception.Message);
        }

        if (entry.Data.Count > 0)
        {
            json.WriteStartObject("data");
            foreach (var (key, value) in entry.Data)
            {
                json.WritePropertyName(key);
                WriteValue(json, value);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        byte[] serialized;
        try
        {
            serialized = JsonSerializer.SerializeToUtf8Bytes(value, value?.GetType() ?? typeof(object));
        }
        catch (NotSupportedException)
        {
            // A value System.Text.Json cannot write (a Type, a delegate) still tells something as text.
            json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
            return;
        }

        json.WriteRawValue(serialized, skipInputValidation: true);
    }

    private static double Milliseconds(TimeSpan duration) => Math.Round(duration.TotalMilliseconds, 3);
}
