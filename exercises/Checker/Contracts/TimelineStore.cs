using Npgsql;

namespace Lab;

/// <summary>
/// Exercise 08: the timeline service's database, as the read path sees it. <see cref="LoadAsync"/> is one query (the
/// checker counts them, and can make them slow); <see cref="PostAsync"/> inserts a chirp in a transaction and returns
/// once it is committed.
/// </summary>
public sealed class TimelineStore
{
    private readonly NpgsqlDataSource _database;
    private readonly string _timelineQuery;
    private readonly Action<string, long> _report;

    internal TimelineStore(NpgsqlDataSource database, string timelineQuery, Action<string, long> report)
    {
        _database = database;
        _timelineQuery = timelineQuery;
        _report = report;
    }

    /// <summary>How long each timeline query takes, on top of its own time: a busy database, set by the checker.</summary>
    internal TimeSpan ReadDelay { get; set; }

    /// <summary>A user whose timeline query never returns (0: none), set by the checker.</summary>
    internal long HangingUser { get; set; }

    /// <summary>How long a post's transaction stays open before it commits, set by the checker.</summary>
    internal TimeSpan CommitDelay { get; set; }

    /// <summary>The user's timeline (their newest chirps) as JSON, read from PostgreSQL: one query.</summary>
    public async Task<string> LoadAsync(long userId, CancellationToken cancellationToken)
    {
        _report("db", userId);
        if (userId == HangingUser)
        {
            _report("hang", userId);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        await Task.Delay(ReadDelay, cancellationToken);
        await using var command = _database.CreateCommand(_timelineQuery);
        command.Parameters.AddWithValue(userId);
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Adds a chirp to the user's timeline, in one transaction; when this returns, the chirp is committed.</summary>
    public async Task PostAsync(long userId, string text, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = new NpgsqlCommand("INSERT INTO chirps (user_id, text) VALUES ($1, $2)", connection, transaction))
        {
            insert.Parameters.AddWithValue(userId);
            insert.Parameters.AddWithValue(text);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        _report("open", userId);
        await Task.Delay(CommitDelay, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        _report("committed", userId);
    }
}
