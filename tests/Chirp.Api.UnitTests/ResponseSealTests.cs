using System.Security.Cryptography;
using System.Text;
using Chirp.Api.Idempotency;

namespace Chirp.Api.UnitTests;

public sealed class ResponseSealTests
{
    private static readonly byte[] s_response = Encoding.UTF8.GetBytes("""{"apiKey":"chirp_secret"}""");

    [Fact]
    public void A_sealed_response_opens_with_the_same_key_and_scope_and_hides_its_content()
    {
        var sealedBytes = ResponseSeal.Seal("9c1d0d4e-0d7a-4f7e-b3c6-7d0f4b5a2e11", "anonymous", s_response);

        Assert.DoesNotContain("chirp_secret", Encoding.UTF8.GetString(sealedBytes), StringComparison.Ordinal);
        Assert.Equal(s_response, ResponseSeal.Open("9c1d0d4e-0d7a-4f7e-b3c6-7d0f4b5a2e11", "anonymous", sealedBytes));
    }

    [Theory]
    [InlineData("another-idempotency-key-0000", "anonymous")]
    [InlineData("9c1d0d4e-0d7a-4f7e-b3c6-7d0f4b5a2e11", "user:someone")]
    public void Another_key_or_scope_cannot_open_it(string key, string scope)
    {
        var sealedBytes = ResponseSeal.Seal("9c1d0d4e-0d7a-4f7e-b3c6-7d0f4b5a2e11", "anonymous", s_response);

        Assert.ThrowsAny<CryptographicException>(() => ResponseSeal.Open(key, scope, sealedBytes));
    }
}
