using System.Net;
using System.Text.Json;
using Sandbox.Testing;

namespace Audit.Service.IntegrationTests;

public sealed class TailTests(PostgresFixture postgres, KafkaFixture kafka)
{
    [Fact]
    public async Task A_client_receives_events_stored_after_it_connected_and_only_its_actors_when_filtered()
    {
        await using var database = await AuditDatabase.CreateAsync(postgres, "tail");
        var topics = await AuditTopics.CreateAsync(kafka, "tail");
        await using var service = AuditServiceFactory.Create(database.ConnectionString, kafka.BootstrapServers, topics);
        using var client = service.CreateClient();
        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancellation.CancelAfter(TimeSpan.FromSeconds(60));
        var watched = Guid.NewGuid();
        var before = ChirpEvent.ChirpCreated(watched);
        await ChirpEvent.AppendAsync(service.Services, before);

        using var all = await OpenAsync(client, "/audit/tail", cancellation.Token);
        using var filtered = await OpenAsync(client, $"/audit/tail?actorId={watched}", cancellation.Token);
        Assert.Equal("subscribed", (await all.NextAsync(cancellation.Token)).Event);
        Assert.Equal("subscribed", (await filtered.NextAsync(cancellation.Token)).Event);
        var other = ChirpEvent.ChirpCreated(Guid.NewGuid());
        var mine = ChirpEvent.ChirpCreated(watched);
        await other.ProduceAsync(kafka, topics.Events);
        await mine.ProduceAsync(kafka, topics.Events);

        var first = await all.NextAsync(cancellation.Token);
        var second = await all.NextAsync(cancellation.Token);
        var onlyMine = await filtered.NextAsync(cancellation.Token);

        Assert.Equal(("audit", other.EventId), (first.Event, first.Data.GetProperty("eventId").GetGuid()));
        Assert.Equal(("audit", mine.EventId), (second.Event, second.Data.GetProperty("eventId").GetGuid()));
        Assert.Equal(first.Data.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), first.Id);
        Assert.Equal(("audit", mine.EventId), (onlyMine.Event, onlyMine.Data.GetProperty("eventId").GetGuid()));
        Assert.Equal(2, onlyMine.Data.GetProperty("sequence").GetInt64());
    }

    [Fact]
    public async Task A_bad_actor_filter_is_a_400_naming_it()
    {
        await using var database = await AuditDatabase.CreateAsync(postgres, "tailbad");
        await using var service = AuditServiceFactory.Create(database.ConnectionString, "127.0.0.1:1");
        using var client = service.CreateClient();

        var response = await client.GetAsync(new Uri("/audit/tail?actorId=nobody", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("actorId", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    private static async Task<SseReader> OpenAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        var response = await client.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new SseReader(response, await response.Content.ReadAsStreamAsync(cancellationToken));
    }

    /// <summary>Reads text/event-stream frames: "event:", "id:", "data:" lines up to a blank line.</summary>
    private sealed class SseReader(HttpResponseMessage response, Stream stream) : IDisposable
    {
        private readonly StreamReader _reader = new(stream);

        public async Task<(string? Event, string? Id, JsonElement Data)> NextAsync(CancellationToken cancellationToken)
        {
            string? type = null;
            string? id = null;
            var data = new List<string>();
            while (await _reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data.Count > 0)
                    {
                        using var document = JsonDocument.Parse(string.Join('\n', data));
                        return (type, id, document.RootElement.Clone());
                    }

                    continue;
                }

                if (line.StartsWith("event:", StringComparison.Ordinal))
                {
                    type = line["event:".Length..].Trim();
                }
                else if (line.StartsWith("id:", StringComparison.Ordinal))
                {
                    id = line["id:".Length..].Trim();
                }
                else if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    data.Add(line["data:".Length..].TrimStart());
                }
            }

            throw new InvalidOperationException("The event stream ended.");
        }

        public void Dispose()
        {
            _reader.Dispose();
            response.Dispose();
        }
    }
}
