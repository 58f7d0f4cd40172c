using Chirp.Api.ApiKeys;

namespace Chirp.Api.UnitTests;

public sealed class ApiKeySecretTests
{
    [Fact]
    public void A_generated_key_has_its_prefix_and_matches_its_hash()
    {
        var secret = ApiKeySecret.Generate();

        Assert.Matches("^chirp_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$", secret.Key);
        Assert.Equal(secret.Prefix, ApiKeySecret.PrefixOf(secret.Key));
        Assert.True(ApiKeySecret.Matches(secret.Key, secret.Hash));
        Assert.False(ApiKeySecret.Matches(secret.Key + "x", secret.Hash));
    }

    [Fact]
    public void Two_keys_differ()
    {
        Assert.NotEqual(ApiKeySecret.Generate().Key, ApiKeySecret.Generate().Key);
    }

    [Theory]
    [InlineData("")]
    [InlineData("chirp_")]
    [InlineData("chirp_0123456789ABCDEF_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("chirp_0123456789abcdef_AAAA")]
    [InlineData("other_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void A_malformed_key_has_no_prefix(string presented)
    {
        Assert.Null(ApiKeySecret.PrefixOf(presented));
    }
}
