using Chirp.Api.Data;
using Dapper;
using Npgsql;

namespace Chirp.Api.Chirps;

/// <summary>The chirps table.</summary>
public static class ChirpStore
{
    private static readonly string s_insert = SqlText.Load("Chirps/insert_chirp.sql");
    private static readonly string s_select = SqlText.Load("Chirps/select_chirp.sql");
    private static readonly string s_deleteOwn = SqlText.Load("Chirps/delete_own_chirp.sql");
    private static readonly string s_selectAuthor = SqlText.Load("Chirps/select_chirp_author.sql");
    private static readonly string s_firstPage = SqlText.Load("Chirps/timeline_first_page.sql");
    private static readonly string s_after = SqlText.Load("Chirps/timeline_after.sql");

    public static Task<ChirpResponse> InsertAsync(NpgsqlTransaction transaction, Guid authorId, string body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return transaction.Connection!.QuerySingleAsync<ChirpResponse>(new CommandDefinition(
            s_insert, new { Id = Guid.CreateVersion7(), AuthorId = authorId, Body = body }, transaction, cancellationToken: cancellationToken));
    }

    public static async Task<ChirpResponse?> FindAsync(NpgsqlDataSource dataSource, Guid id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ChirpResponse>(
            new CommandDefinition(s_select, new { Id = id }, cancellationToken: cancellationToken));
    }

    /// <summary>Deletes the chirp if <paramref name="authorId"/> wrote it; returns the transaction's time, or null.</summary>
    public static Task<DateTime?> DeleteOwnAsync(NpgsqlTransaction transaction, Guid id, Guid authorId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return transaction.Connection!.QuerySingleOrDefaultAsync<DateTime?>(new CommandDefinition(
            s_deleteOwn, new { Id = id, AuthorId = authorId }, transaction, cancellationToken: cancellationToken));
    }

    public static Task<Guid?> FindAuthorAsync(NpgsqlTransaction transaction, Guid id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return transaction.Connection!.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            s_selectAuthor, new { Id = id }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>Up to <paramref name="limit"/> chirps of an author, newest first, after <paramref name="after"/> if given.</summary>
    public static async Task<List<ChirpResponse>> PageAsync(
        NpgsqlDataSource dataSource, Guid authorId, TimelineCursor? after, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var command = after is { } cursor
            ? new CommandDefinition(s_after, new { AuthorId = authorId, cursor.CreatedAt, cursor.Id, Limit = limit }, cancellationToken: cancellationToken)
            : new CommandDefinition(s_firstPage, new { AuthorId = authorId, Limit = limit }, cancellationToken: cancellationToken);
        return (await connection.QueryAsync<ChirpResponse>(command)).AsList();
    }
}
