using Npgsql;

namespace Chirp.Api.Data;

/// <summary>
/// The one appdb transaction of a write request (scoped). Handlers and the outbox write into it; the
/// <see cref="WriteTransactionFilter"/> commits it when the handler succeeded, so the change, its outbox event and the
/// idempotency record become durable together, before the response is sent. Work that must wait for the commit (cache
/// invalidation, waking the relay) is registered with <see cref="AfterCommit"/>.
/// </summary>
public sealed class WriteTransaction(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    private readonly List<Func<CancellationToken, Task>> _afterCommit = [];
    private NpgsqlConnection? _connection;
    private NpgsqlTransaction? _transaction;

    /// <summary>The transaction, begun on first use.</summary>
    public async ValueTask<NpgsqlTransaction> GetAsync(CancellationToken cancellationToken)
    {
        if (_transaction is null)
        {
            _connection = await dataSource.OpenConnectionAsync(cancellationToken);
            _transaction = await _connection.BeginTransactionAsync(cancellationToken);
        }

        return _transaction;
    }

    /// <summary>Runs <paramref name="action"/> once the transaction has committed (never if it rolls back).</summary>
    public void AfterCommit(Func<CancellationToken, Task> action) => _afterCommit.Add(action);

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (_transaction is not null)
        {
            await _transaction.CommitAsync(cancellationToken);
            await CloseAsync();
        }

        foreach (var action in _afterCommit)
        {
            await action(cancellationToken);
        }

        _afterCommit.Clear();
    }

    public async Task RollbackAsync()
    {
        _afterCommit.Clear();
        if (_transaction is not null)
        {
            await _transaction.RollbackAsync(CancellationToken.None);
            await CloseAsync();
        }
    }

    public ValueTask DisposeAsync() => new(CloseAsync());

    private async Task CloseAsync()
    {
        // Disposing an uncommitted transaction rolls it back.
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync();
            _transaction = null;
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }
}
