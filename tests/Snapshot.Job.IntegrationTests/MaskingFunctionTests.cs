using System.Security.Cryptography;
using System.Text;
using Npgsql;
using Sandbox.Testing;
using Snapshot.Job.Database;
using Snapshot.Job.Masking;

namespace Snapshot.Job.IntegrationTests;

/// <summary>masking_functions.sql on the real server: the SQL HMAC is HMAC-SHA256, and each mask keeps the shape it promises.</summary>
public sealed class MaskingFunctionTests(PostgresFixture postgres) : IAsyncLifetime
{
    private static readonly RunKey s_key = RunKey.FromHex(SnapshotSource.RunKey);
    private ScratchDatabase? _database;

    public async ValueTask InitializeAsync()
    {
        _database = await postgres.CreateScratchDatabaseAsync("snapmask");
        await using var create = _database.DataSource.CreateCommand("CREATE SCHEMA snapshot_job;" + SqlText.Load("Masking/masking_functions.sql"));
        await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync() => await _database!.DisposeAsync();

    [Theory]
    [InlineData("email:ada@example.com")]
    [InlineData("")]
    [InlineData("naïve café ☕")]
    public async Task The_sql_hmac_equals_hmac_sha256(string message)
    {
        var digest = await ScalarAsync<byte[]>("SELECT snapshot_job.hmac($1, $2, $3)", s_key.InnerPad, s_key.OuterPad, message);

        Assert.Equal(HMACSHA256.HashData(s_key.Bytes, Encoding.UTF8.GetBytes(message)), digest);
    }

    [Fact]
    public async Task An_email_gets_the_same_pseudonym_whatever_its_case_and_another_email_another_one()
    {
        const string sql = "SELECT snapshot_job.pseudonymize_email($3, $1, $2)";

        var ada = await ScalarAsync<string>(sql, s_key.InnerPad, s_key.OuterPad, "Ada@Example.com");
        var adaAgain = await ScalarAsync<string>(sql, s_key.InnerPad, s_key.OuterPad, " ada@example.COM ");
        var grace = await ScalarAsync<string>(sql, s_key.InnerPad, s_key.OuterPad, "grace@example.com");

        Assert.Matches("^user_[0-9a-f]{20}@snapshot\\.invalid$", ada);
        Assert.Equal(ada, adaAgain);
        Assert.NotEqual(ada, grace);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(32)]
    [InlineData(45)]
    public async Task Random_bytes_have_the_length_of_the_original_and_none_of_its_content(int length)
    {
        var original = RandomNumberGenerator.GetBytes(length);

        var replaced = await ScalarAsync<byte[]>("SELECT snapshot_job.random_bytes($3, $1, $2)", s_key.InnerPad, s_key.OuterPad, original);

        Assert.Equal(length, replaced.Length);
        Assert.True(length == 0 || !replaced.AsSpan().SequenceEqual(original));
    }

    [Fact]
    public async Task Replaced_text_keeps_its_length_and_null_stays_null()
    {
        Assert.Equal(140, (await ScalarAsync<string>("SELECT snapshot_job.replace_text($1)", new string('x', 140))).Length);
        Assert.Equal("l", await ScalarAsync<string>("SELECT snapshot_job.replace_text($1)", "A"));
        Assert.Null(await ScalarAsync<string?>("SELECT snapshot_job.replace_text(NULL)"));
    }

    [Fact]
    public async Task Fake_names_ip_addresses_and_tokens_have_the_promised_shape()
    {
        Assert.Matches("^[A-Z][a-z]+ [A-Z][a-z]+$", await ScalarAsync<string>("SELECT snapshot_job.fake_name($3, $1, $2)", s_key.InnerPad, s_key.OuterPad, "Ada Lovelace"));
        Assert.Matches(@"^10\.\d{1,3}\.\d{1,3}\.\d{1,3}$", await ScalarAsync<string>("SELECT snapshot_job.pseudonymize_ip($3, $1, $2)", s_key.InnerPad, s_key.OuterPad, "192.168.1.4"));
        Assert.Matches("^chirp_[0-9a-f]{16}$", await ScalarAsync<string>("SELECT snapshot_job.random_token($3, $1, $2, 'chirp_', 16)", s_key.InnerPad, s_key.OuterPad, "chirp_0123456789abcdef"));
        Assert.Equal("10.0.0.0/8", await ScalarAsync<string>("SELECT CAST(network(set_masklen(CAST(snapshot_job.pseudonymize_ip('::1', $1, $2) AS inet), 8)) AS text)", s_key.InnerPad, s_key.OuterPad));
    }

    private async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var command = _database!.DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var value = await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        return value is DBNull ? default! : (T)value!;
    }
}
