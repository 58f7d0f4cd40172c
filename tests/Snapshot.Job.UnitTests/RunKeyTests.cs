using System.Security.Cryptography;
using Snapshot.Job.Masking;

namespace Snapshot.Job.UnitTests;

public sealed class RunKeyTests
{
    [Fact]
    public void Sha256_over_the_pads_is_hmac_sha256_as_the_masking_sql_computes_it()
    {
        var key = RunKey.FromHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        var message = "email:ada@example.com"u8.ToArray();

        var inner = SHA256.HashData([.. key.InnerPad, .. message]);
        var viaPads = SHA256.HashData([.. key.OuterPad, .. inner]);

        Assert.Equal(HMACSHA256.HashData(key.Bytes, message), viaPads);
    }

    [Fact]
    public void A_test_key_must_be_64_hex_digits()
    {
        Assert.Throws<SnapshotConfigurationException>(() => RunKey.FromHex("abc"));
    }

    [Fact]
    public void Two_random_keys_differ()
    {
        Assert.NotEqual(RunKey.Random().Bytes, RunKey.Random().Bytes);
    }
}
