using Npgsql;
using Sandbox.Testing;

namespace Infrastructure.IntegrationTests;

public sealed class PostgresTests(PostgresFixture postgres)
{
    [Theory]
    [InlineData("appdb")]
    [InlineData("auditdb")]
    [InlineData("labdb")]
    public async Task Each_sandbox_database_exists_and_answers(string database)
    {
        await using var dataSource = NpgsqlDataSource.Create(postgres.ConnectionString(database));
        await using var command = dataSource.CreateCommand("SELECT current_database()");

        Assert.Equal(database, await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Server_listens_on_loopback_with_password_authentication()
    {
        var builder = new NpgsqlConnectionStringBuilder(postgres.ConnectionString("appdb")) { Password = "wrong-password" };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);

        var error = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync(TestContext.Current.CancellationToken));

        Assert.Equal(PostgresErrorCodes.InvalidPassword, error.SqlState);
        Assert.Equal("127.0.0.1", builder.Host);
    }

    [Fact]
    public async Task A_scratch_database_is_usable_and_gone_after_dispose()
    {
        var cancellation = TestContext.Current.CancellationToken;
        string name;
        await using (var scratch = await postgres.CreateScratchDatabaseAsync("infra"))
        {
            name = scratch.Name;
            await using var create = scratch.DataSource.CreateCommand("CREATE TABLE t (id int); INSERT INTO t VALUES (1), (2)");
            await create.ExecuteNonQueryAsync(cancellation);
            await using var count = scratch.DataSource.CreateCommand("SELECT count(*) FROM t");
            Assert.Equal(2L, await count.ExecuteScalarAsync(cancellation));
        }

        await using var exists = postgres.AppDb.CreateCommand("SELECT count(*) FROM pg_database WHERE datname = $1");
        exists.Parameters.AddWithValue(name);
        Assert.Equal(0L, await exists.ExecuteScalarAsync(cancellation));
    }
}
