using System.Diagnostics;
using Audit.Service.Api;
using Audit.Service.Telemetry;
using Npgsql;

namespace Audit.Service.Search;

/// <summary>Runs a search (search_events.sql) and pages with a keyset cursor over (occurred_at, id), newest first.</summary>
internal sealed class AuditEventSearch(NpgsqlDataSource dataSource)
{
    private static readonly string s_searchEvents = SqlStatements.Get("Search/Sql/search_events.sql");

    public async Task<AuditSearchPage> SearchAsync(AuditSearchFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        using var activity = AuditTelemetry.Source.StartActivity("audit search", ActivityKind.Client);
        activity?.SetTag("db.system", "postgresql");
        activity?.SetTag("db.operation.name", "SELECT");
        activity?.SetTag("db.collection.name", "audit_events");
        activity?.SetTag("audit.search.shape", filter.Shape);
        activity?.SetTag("audit.search.limit", filter.Limit);

        await using var command = dataSource.CreateCommand(s_searchEvents);
        command.Parameters.Add(new NpgsqlParameter<Guid?> { TypedValue = filter.ActorId });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = filter.ResourceType });
        command.Parameters.Add(new NpgsqlParameter<Guid?> { TypedValue = filter.ResourceId });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = filter.Action });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = filter.From });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = filter.To });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = filter.Cursor?.OccurredAt });
        command.Parameters.Add(new NpgsqlParameter<long?> { TypedValue = filter.Cursor?.Id });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = filter.Limit + 1 });

        var items = new List<AuditEventResponse>(filter.Limit + 1);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(AuditEventResponse.Read(reader));
            }
        }

        string? next = null;
        if (items.Count > filter.Limit)
        {
            items.RemoveAt(items.Count - 1);
            next = new SearchCursor(items[^1].OccurredAt, items[^1].Id).Encode();
        }

        activity?.SetTag("db.response.returned_rows", items.Count);
        return new AuditSearchPage(items, next);
    }
}
