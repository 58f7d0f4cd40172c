using Microsoft.Extensions.Primitives;

namespace Chirp.Api.Idempotency;

/// <summary>The Idempotency-Key header: 16 to 128 visible ASCII characters, typically a random UUID.</summary>
public static class IdempotencyKey
{
    public const string HeaderName = "Idempotency-Key";

    // The key also derives the key that seals the stored response, so it must not be guessable: hence a minimum length.
    public const int MinLength = 16;
    public const int MaxLength = 128;

    /// <summary>Null when the header holds one acceptable key, else what is wrong with it.</summary>
    public static string? Check(StringValues values)
    {
        if (values.Count != 1)
        {
            return "must be sent once.";
        }

        var key = values[0] ?? "";
        return key.Length is >= MinLength and <= MaxLength && key.All(c => c is >= '!' and <= '~')
            ? null
            : $"must be {MinLength} to {MaxLength} visible ASCII characters; a random UUID is a good key.";
    }
}
