using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Migrator;

/// <summary>One versioned SQL file, e.g. <c>0001_users.sql</c>: Version 1, Name "0001_users".</summary>
/// <param name="Checksum">SHA-256 (lowercase hex) of the file text with line endings normalised to \n.</param>
public sealed partial record Migration(int Version, string Name, string Sql, string Checksum)
{
    /// <summary>Builds a migration from a file name such as <c>0003_outbox.sql</c> and its text.</summary>
    /// <exception cref="MigrationException">The file name is not <c>NNNN_slug.sql</c>.</exception>
    public static Migration FromFile(string fileName, string text)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(text);
        var match = FileNamePattern().Match(fileName);
        if (!match.Success)
        {
            throw new MigrationException(
                $"Migration file '{fileName}' is not named NNNN_slug.sql (four digits, an underscore, lowercase letters, digits or underscores).");
        }

        var version = int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture);
        return new Migration(version, match.Groups["name"].Value, text, ComputeChecksum(text));
    }

    /// <summary>SHA-256 of the text with CRLF and CR turned into LF, so a checkout on Windows has the same checksum.</summary>
    public static string ComputeChecksum(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalised = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)));
    }

    [GeneratedRegex(@"^(?<name>(?<version>[0-9]{4})_[a-z0-9_]+)\.sql$")]
    private static partial Regex FileNamePattern();
}
