using Npgsql;
using Sandbox.Testing;
using StackExchange.Redis;

namespace Infrastructure.IntegrationTests;

/// <summary>Native mode must hand services the same connection strings, in the same shape, that Aspire injects.</summary>
public sealed class ConnectionStringContractTests
{
    [Theory]
    [InlineData("appdb")]
    [InlineData("auditdb")]
    [InlineData("labdb")]
    public void Database_connection_strings_have_the_shape_Aspire_injects(string database)
    {
        var builder = new NpgsqlConnectionStringBuilder(SandboxEnvironment.ConnectionString(database));

        Assert.False(string.IsNullOrEmpty(builder.Host));
        Assert.InRange(builder.Port, 1, 65535);
        Assert.Equal("postgres", builder.Username);
        Assert.False(string.IsNullOrEmpty(builder.Password));
        Assert.Equal(database, builder.Database);
    }

    [Fact]
    public void Redis_connection_string_is_host_port_and_password()
    {
        var options = ConfigurationOptions.Parse(SandboxEnvironment.ConnectionString("redis"));

        Assert.Single(options.EndPoints);
        Assert.False(string.IsNullOrEmpty(options.Password));
    }

    [Fact]
    public void Kafka_connection_string_is_a_list_of_three_loopback_brokers()
    {
        var brokers = SandboxEnvironment.ConnectionString("kafka").Split(',');

        Assert.Equal(3, brokers.Length);
        Assert.All(brokers, broker => Assert.Matches(@"^127\.0\.0\.1:\d+$", broker));
    }
}
