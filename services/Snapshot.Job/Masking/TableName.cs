namespace Snapshot.Job.Masking;

/// <summary>A table as the rules and the catalog name it: schema and name, written <c>schema.table</c>.</summary>
internal readonly record struct TableName(string Schema, string Name)
{
    /// <summary>Reads <c>schema.table</c>; the first dot separates them.</summary>
    public static bool TryParse(string text, out TableName table)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        table = dot > 0 && dot < text.Length - 1 ? new TableName(text[..dot], text[(dot + 1)..]) : default;
        return dot > 0 && dot < text.Length - 1;
    }

    /// <summary>The name as SQL needs it, each part quoted: <c>"public"."users"</c>.</summary>
    public string Quoted => $"{Identifier.Quote(Schema)}.{Identifier.Quote(Name)}";

    public override string ToString() => $"{Schema}.{Name}";
}

/// <summary>Quotes identifiers for the few statements that name tables and columns taken from the catalog.</summary>
internal static class Identifier
{
    public static string Quote(string name) => $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
