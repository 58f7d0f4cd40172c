using System.Text;
using System.Text.Json;
using Audit.Service.Chain;

namespace Audit.Service.UnitTests;

public sealed class AuditCanonicalFormTests
{
    private static readonly AuditChainFields s_fields = new(
        Sequence: 7,
        EventId: Guid.Parse("0b9c4f8e-2f3a-4c1d-9e55-6a7b8c9d0e1f"),
        OccurredAt: new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero).AddTicks(1_234_567),
        RecordedAt: new DateTimeOffset(2026, 11, 21, 13, 0, 1, TimeSpan.FromHours(1)),
        ActorId: Guid.Parse("5f0e2a4b-1c3d-4e5f-8a9b-0c1d2e3f4a5b"),
        Action: "chirp.created",
        ResourceType: "chirp",
        ResourceId: Guid.Parse("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"),
        CanonicalPayload: Encoding.UTF8.GetBytes("""{"text":"hello"}"""));

    [Fact]
    public void Canonical_bytes_are_the_documented_version_1_form()
    {
        var text = Encoding.UTF8.GetString(AuditCanonicalForm.Bytes(s_fields));

        // Microseconds only (PostgreSQL's precision), UTC, lowercase UUIDs, members in ordinal order.
        Assert.Equal(
            """{"action":"chirp.created","actorId":"5f0e2a4b-1c3d-4e5f-8a9b-0c1d2e3f4a5b","eventId":"0b9c4f8e-2f3a-4c1d-9e55-6a7b8c9d0e1f","occurredAt":"2026-11-21T12:00:00.123456Z","payload":{"text":"hello"},"recordedAt":"2026-11-21T12:00:01.000000Z","resourceId":"9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d","resourceType":"chirp","sequence":7,"v":1}""",
            text);
    }

    [Fact]
    public void The_canonical_object_is_itself_canonical_json()
    {
        var bytes = AuditCanonicalForm.Bytes(s_fields with { ResourceType = null, ResourceId = null });
        using var document = JsonDocument.Parse(bytes);

        Assert.Equal(bytes, CanonicalJson.Canonicalize(document.RootElement));
    }

    [Fact]
    public void Hash_is_sha256_of_the_previous_hash_then_the_canonical_bytes()
    {
        var previous = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var expected = System.Security.Cryptography.SHA256.HashData([.. previous, .. AuditCanonicalForm.Bytes(s_fields)]);

        Assert.Equal(expected, AuditCanonicalForm.Hash(previous, s_fields));
    }

    [Fact]
    public void Every_covered_field_changes_the_hash()
    {
        var genesis = AuditCanonicalForm.GenesisHash.Span;
        var original = AuditCanonicalForm.Hash(genesis, s_fields);
        AuditChainFields[] variants =
        [
            s_fields with { Sequence = 8 },
            s_fields with { EventId = Guid.NewGuid() },
            s_fields with { OccurredAt = s_fields.OccurredAt.AddTicks(10) },
            s_fields with { RecordedAt = s_fields.RecordedAt.AddTicks(10) },
            s_fields with { ActorId = Guid.NewGuid() },
            s_fields with { Action = "chirp.deleted" },
            s_fields with { ResourceType = null },
            s_fields with { ResourceId = null },
            s_fields with { CanonicalPayload = Encoding.UTF8.GetBytes("""{"text":"hellO"}""") },
        ];

        foreach (var variant in variants)
        {
            Assert.NotEqual(original, AuditCanonicalForm.Hash(genesis, variant));
        }

        Assert.NotEqual(original, AuditCanonicalForm.Hash(original, s_fields));
    }

    [Fact]
    public void Ticks_below_a_microsecond_do_not_change_the_hash()
    {
        var genesis = AuditCanonicalForm.GenesisHash.Span;

        Assert.Equal(
            AuditCanonicalForm.Hash(genesis, s_fields),
            AuditCanonicalForm.Hash(genesis, s_fields with { OccurredAt = s_fields.OccurredAt.AddTicks(2) }));
    }
}
