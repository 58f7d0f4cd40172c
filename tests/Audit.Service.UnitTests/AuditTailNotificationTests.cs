using System.Text;
using Audit.Service.Tail;

namespace Audit.Service.UnitTests;

public sealed class AuditTailNotificationTests
{
    [Fact]
    public void Many_keys_split_into_payloads_under_postgres_limit_and_parse_back_in_order()
    {
        var keys = Enumerable.Range(0, 500)
            .Select(i => (Guid.NewGuid(), new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero).AddTicks(i * 10L)))
            .ToList();

        var payloads = AuditTailNotification.Payloads(keys).ToList();

        Assert.True(payloads.Count > 1);
        Assert.All(payloads, payload => Assert.True(Encoding.UTF8.GetByteCount(payload) < 8000));
        Assert.Equal(keys, payloads.SelectMany(AuditTailNotification.Parse));
    }
}
