using Chirp.Api.Data;
using Dapper;
using Npgsql;

namespace Chirp.Api.Users;

/// <summary>The users table.</summary>
public static class UserStore
{
    private static readonly string s_insert = SqlText.Load("Users/insert_user.sql");
    private static readonly string s_select = SqlText.Load("Users/select_user.sql");
    private static readonly string s_exists = SqlText.Load("Users/user_exists.sql");

    /// <exception cref="PostgresException">23505 unique_violation on users_handle_key or users_email_key.</exception>
    public static Task<UserResponse> InsertAsync(NpgsqlTransaction transaction, Guid id, CreateUserRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(request);
        return transaction.Connection!.QuerySingleAsync<UserResponse>(new CommandDefinition(
            s_insert,
            new { Id = id, request.Handle, request.Email, request.DisplayName, request.Bio },
            transaction,
            cancellationToken: cancellationToken));
    }

    public static async Task<UserResponse?> FindAsync(NpgsqlDataSource dataSource, Guid id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<UserResponse>(
            new CommandDefinition(s_select, new { Id = id }, cancellationToken: cancellationToken));
    }

    public static async Task<bool> ExistsAsync(NpgsqlDataSource dataSource, Guid id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(
            new CommandDefinition(s_exists, new { Id = id }, cancellationToken: cancellationToken));
    }
}
