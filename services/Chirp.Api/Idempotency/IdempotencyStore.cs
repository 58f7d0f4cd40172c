using Chirp.Api.Data;
using Dapper;
using Npgsql;

namespace Chirp.Api.Idempotency;

/// <summary>The idempotency_keys table, used inside the request's write transaction.</summary>
public static class IdempotencyStore
{
    private static readonly string s_claim = SqlText.Load("Idempotency/claim_key.sql");
    private static readonly string s_select = SqlText.Load("Idempotency/select_key.sql");
    private static readonly string s_complete = SqlText.Load("Idempotency/complete_key.sql");
    private static readonly string s_purge = SqlText.Load("Idempotency/purge_expired.sql");

    public static async Task<bool> TryClaimAsync(
        NpgsqlTransaction transaction, string scope, byte[] keyHash, byte[] requestHash, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var claimed = await transaction.Connection!.QuerySingleOrDefaultAsync<bool?>(new CommandDefinition(
            s_claim,
            new { Scope = scope, KeyHash = keyHash, RequestHash = requestHash, TimeToLive = timeToLive },
            transaction,
            cancellationToken: cancellationToken));
        return claimed == true;
    }

    public static Task<IdempotencyRecord?> FindAsync(NpgsqlTransaction transaction, string scope, byte[] keyHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return transaction.Connection!.QuerySingleOrDefaultAsync<IdempotencyRecord>(new CommandDefinition(
            s_select, new { Scope = scope, KeyHash = keyHash }, transaction, cancellationToken: cancellationToken));
    }

    public static Task CompleteAsync(
        NpgsqlTransaction transaction, string scope, byte[] keyHash, int status, byte[] sealedResponse, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return transaction.Connection!.ExecuteAsync(new CommandDefinition(
            s_complete,
            new { Scope = scope, KeyHash = keyHash, Status = status, Response = sealedResponse },
            transaction,
            cancellationToken: cancellationToken));
    }

    public static async Task<int> PurgeExpiredAsync(NpgsqlDataSource dataSource, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(s_purge, new { BatchSize = batchSize }, cancellationToken: cancellationToken));
    }
}
