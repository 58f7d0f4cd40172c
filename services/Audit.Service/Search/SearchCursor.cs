using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Audit.Service.Search;

/// <summary>
/// Where a page ended: the (occurred_at, id) of its last row. Opaque to clients: base64url of
/// "v1:&lt;unix microseconds&gt;:&lt;id&gt;".
/// </summary>
internal sealed record SearchCursor(DateTimeOffset OccurredAt, long Id)
{
    private const string Prefix = "v1";

    public string Encode()
    {
        var micros = (OccurredAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        return Base64Url.EncodeToString(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Prefix}:{micros}:{Id}")));
    }

    public static bool TryDecode(string text, out SearchCursor? cursor)
    {
        cursor = null;
        if (text.Length > 100 || !Base64Url.IsValid(text))
        {
            return false;
        }

        var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(text)).Split(':');
        if (parts.Length != 3
            || parts[0] != Prefix
            || !long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var micros)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return false;
        }

        var ticks = DateTimeOffset.UnixEpoch.UtcTicks + (Int128)micros * 10;
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        cursor = new SearchCursor(new DateTimeOffset((long)ticks, TimeSpan.Zero), id);
        return true;
    }
}
