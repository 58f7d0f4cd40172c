using Chirp.Api.Outbox;

namespace Chirp.Api.UnitTests;

public sealed class EventEnvelopeTests
{
    [Fact]
    public void Times_are_utc_with_six_fractional_digits()
    {
        var time = new DateTime(2026, 11, 21, 12, 0, 0, DateTimeKind.Utc).AddTicks(1_234_560);

        Assert.Equal("2026-11-21T12:00:00.123456Z", EventEnvelope.FormatTime(time));
    }

    [Fact]
    public void The_key_is_the_actor_in_lowercase_d_format()
    {
        var actor = Guid.Parse("0194C4F2-3B1A-7C55-9A0E-4F7D2C1B8E90");
        var envelope = new EventEnvelope(Guid.NewGuid(), "chirp.created", "", actor, "chirp", Guid.NewGuid(), new { });

        Assert.Equal("0194c4f2-3b1a-7c55-9a0e-4f7d2c1b8e90", envelope.Key);
    }
}
