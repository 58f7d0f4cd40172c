using Chirp.Api.Data;
using Dapper;
using Npgsql;

namespace Chirp.Api.ApiKeys;

/// <summary>The api_keys table.</summary>
public static class ApiKeyStore
{
    private static readonly string s_insert = SqlText.Load("ApiKeys/insert_api_key.sql");
    private static readonly string s_selectCredential = SqlText.Load("ApiKeys/select_credential.sql");
    private static readonly string s_revoke = SqlText.Load("ApiKeys/revoke_api_key.sql");
    private static readonly string s_select = SqlText.Load("ApiKeys/select_api_key.sql");

    public static Task<ApiKeyRecord> InsertAsync(NpgsqlTransaction transaction, Guid userId, ApiKeySecret secret, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(secret);
        return transaction.Connection!.QuerySingleAsync<ApiKeyRecord>(new CommandDefinition(
            s_insert,
            new { Id = Guid.CreateVersion7(), UserId = userId, secret.Prefix, KeyHash = secret.Hash },
            transaction,
            cancellationToken: cancellationToken));
    }

    public static async Task<ApiKeyCredential?> FindCredentialAsync(NpgsqlDataSource dataSource, string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ApiKeyCredential>(
            new CommandDefinition(s_selectCredential, new { Prefix = prefix }, cancellationToken: cancellationToken));
    }

    /// <summary>Revokes an active key; null when the user has no active key with that id.</summary>
    public static Task<ApiKeyRecord?> RevokeAsync(NpgsqlTransaction transaction, Guid userId, Guid keyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return transaction.Connection!.QuerySingleOrDefaultAsync<ApiKeyRecord>(new CommandDefinition(
            s_revoke, new { UserId = userId, KeyId = keyId }, transaction, cancellationToken: cancellationToken));
    }

    public static Task<ApiKeyRecord?> FindAsync(NpgsqlTransaction transaction, Guid userId, Guid keyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return transaction.Connection!.QuerySingleOrDefaultAsync<ApiKeyRecord>(new CommandDefinition(
            s_select, new { UserId = userId, KeyId = keyId }, transaction, cancellationToken: cancellationToken));
    }
}
