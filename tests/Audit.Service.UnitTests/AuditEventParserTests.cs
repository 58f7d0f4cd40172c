using System.Text;
using Audit.Service.Ingestion;

namespace Audit.Service.UnitTests;

public sealed class AuditEventParserTests
{
    private const string Valid = """
        {"eventId":"0b9c4f8e-2f3a-4c1d-9e55-6a7b8c9d0e1f","type":"chirp.created","occurredAt":"2026-11-21T12:00:00.1234567Z",
         "actorId":"5f0e2a4b-1c3d-4e5f-8a9b-0c1d2e3f4a5b","resourceType":"chirp","resourceId":"9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
         "data":{"text":"hello","length":5}}
        """;

    [Fact]
    public void A_contract_message_parses_with_microsecond_time_and_canonical_payload()
    {
        var source = new KafkaSource("chirp.events", 2, 41);

        Assert.True(AuditEventParser.TryParse(Encoding.UTF8.GetBytes(Valid), "4bf92f3577b34da6a3ce929d0e0e4736", source, out var parsed, out var error), error);

        Assert.Equal(Guid.Parse("0b9c4f8e-2f3a-4c1d-9e55-6a7b8c9d0e1f"), parsed!.EventId);
        Assert.Equal("chirp.created", parsed.Action);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero).AddTicks(1_234_560), parsed.OccurredAt);
        Assert.Equal("chirp", parsed.ResourceType);
        Assert.Equal("""{"length":5,"text":"hello"}""", Encoding.UTF8.GetString(parsed.CanonicalPayload));
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", parsed.TraceId);
        Assert.Equal(source, parsed.Source);
    }

    [Fact]
    public void Unknown_types_and_absent_optional_fields_are_accepted()
    {
        var json = """{"eventId":"0b9c4f8e-2f3a-4c1d-9e55-6a7b8c9d0e1f","type":"billing.invoice.paid","occurredAt":"2026-11-21T13:00:00+01:00","actorId":"5f0e2a4b-1c3d-4e5f-8a9b-0c1d2e3f4a5b"}""";

        Assert.True(AuditEventParser.TryParse(Encoding.UTF8.GetBytes(json), null, null, out var parsed, out var error), error);

        Assert.Null(parsed!.ResourceType);
        Assert.Null(parsed.ResourceId);
        Assert.Equal("{}", parsed.PayloadJson);
        Assert.Equal(TimeSpan.Zero, parsed.OccurredAt.Offset);
        Assert.Equal(12, parsed.OccurredAt.Hour);
    }

    [Theory]
    [InlineData("", "value: empty")]
    [InlineData("not json", "value: not valid JSON")]
    [InlineData("[1,2]", "value: expected a JSON object")]
    [InlineData("""{"type":"x","occurredAt":"2026-11-21T12:00:00Z","actorId":"5f0e2a4b-1c3d-4e5f-8a9b-0c1d2e3f4a5b"}""", "eventId: missing")]
    [InlineData("""{"eventId":"nope","type":"x","occurredAt":"2026-11-21T12:00:00Z","actorId":"5f0e2a4b-1c3d-4e5f-8a9b-0c1d2e3f4a5b"}""", "eventId: 'nope' is not")]
    [InlineData("""{"eventId":42,"type":"x","occurredAt":"2026-11-21T12:00:00Z","actorId":"5f0e2a4b-1c3d-4e5f-8a9b-0c1d2e3f4a5b"}""", "eventId: expected a UUID string")]
    [InlineData("""{"eventId":"0b9c4f8e-2f3a-4c1d-9e55-6a7b8c9d0e1f","occurredAt":"2026-11-21T12:00:00Z","actorId":"5f0e2a4b-1c3d-4e5f-8a9b-0c1d2e3f4a5b"}""", "type: missing")]
    [InlineData("""{"eventId":"0b9c4f8e-2f3a-4c1d-9e55-6a7b8c9d0e1f","type":" ","occurredAt":"2026-11-21T12:00:00Z","actorId":"5f0e2a4b-1c3d-4e5f-8a9b-0c1d2e3f4a5b"}""", "type: must be")]
    [InlineData("""{"eventId":"0b9c4f8e-2f3a-4c1d-9e55-6a7b8c9d0e1f","type":"x","occurredAt":"2026-11-21T12:00:00","actorId":"5f0e2a4b-1c3d-4e5f-8a9b-0c1d2e3f4a5b"}""", "occurredAt:")]
    [InlineData("""{"eventId":"0b9c4f8e-2f3a-4c1d-9e55-6a7b8c9d0e1f","type":"x","occurredAt":"yesterday","actorId":"5f0e2a4b-1c3d-4e5f-8a9b-0c1d2e3f4a5b"}""", "occurredAt:")]
    [InlineData("""{"eventId":"0b9c4f8e-2f3a-4c1d-9e55-6a7b8c9d0e1f","type":"x","occurredAt":"2026-11-21T12:00:00Z"}""", "actorId: missing")]
    [InlineData("""{"eventId":"0b9c4f8e-2f3a-4c1d-9e55-6a7b8c9d0e1f","type":"x","occurredAt":"2026-11-21T12:00:00Z","actorId":"00000000-0000-0000-0000-000000000000"}""", "actorId:")]
    [InlineData("""{"eventId":"0b9c4f8e-2f3a-4c1d-9e55-6a7b8c9d0e1f","type":"x","occurredAt":"2026-11-21T12:00:00Z","actorId":"5f0e2a4b-1c3d-4e5f-8a9b-0c1d2e3f4a5b","resourceId":"r1"}""", "resourceId:")]
    [InlineData("""{"eventId":"0b9c4f8e-2f3a-4c1d-9e55-6a7b8c9d0e1f","type":"x","occurredAt":"2026-11-21T12:00:00Z","actorId":"5f0e2a4b-1c3d-4e5f-8a9b-0c1d2e3f4a5b","data":[1]}""", "data: expected a JSON object")]
    [InlineData("""{"eventId":"0b9c4f8e-2f3a-4c1d-9e55-6a7b8c9d0e1f","type":"x","occurredAt":"2026-11-21T12:00:00Z","actorId":"5f0e2a4b-1c3d-4e5f-8a9b-0c1d2e3f4a5b","data":{"a":"\u0000"}}""", "data: U+0000")]
    public void A_message_that_does_not_fit_is_poison_and_the_error_names_the_field(string json, string expectedError)
    {
        Assert.False(AuditEventParser.TryParse(Encoding.UTF8.GetBytes(json), null, null, out var parsed, out var error));

        Assert.Null(parsed);
        Assert.StartsWith(expectedError, error, StringComparison.Ordinal);
    }
}
