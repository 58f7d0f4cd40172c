using System.Text;

namespace Lab.Checker.Sql;

/// <summary>One statement of a learner's SQL file (from its first word) and the line it starts on.</summary>
public sealed record SqlStatement(string Text, int Line)
{
    /// <summary>The file line of a 1-based character position in <see cref="Text"/>, as PostgreSQL reports errors.</summary>
    public int LineOf(int position) =>
        Line + Text.AsSpan(0, Math.Clamp(position - 1, 0, Text.Length)).Count('\n');
}

/// <summary>
/// Splits a SQL file into statements at top-level semicolons, so that each runs on its own (CREATE INDEX
/// CONCURRENTLY and VACUUM refuse to run inside the implicit transaction of a multi-statement command) and an
/// error points at its line. Knows quotes, dollar quotes and comments; nothing more of SQL.
/// </summary>
public static class SqlScript
{
    public static IReadOnlyList<SqlStatement> Split(string sql)
    {
        var statements = new List<SqlStatement>();
        var current = new StringBuilder();
        var line = 1;
        var startLine = 1;
        var hasCode = false;
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == '-' && Peek(sql, i + 1) == '-')
            {
                var end = sql.IndexOf('\n', i);
                end = end < 0 ? sql.Length : end;
                if (hasCode)
                {
                    current.Append(sql, i, end - i);
                }

                i = end;
                continue;
            }

            if (c == '/' && Peek(sql, i + 1) == '*')
            {
                var end = BlockCommentEnd(sql, i);
                line += Count(sql, i, end, '\n');
                if (hasCode)
                {
                    current.Append(sql, i, end - i);
                }

                i = end;
                continue;
            }

            if (!hasCode && !char.IsWhiteSpace(c) && c != ';')
            {
                hasCode = true;
                startLine = line;
            }

            if (c == '\'' || c == '"')
            {
                var escapes = c == '\'' && i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e');
                var end = QuotedEnd(sql, i, c, escapes);
                line += Count(sql, i, end, '\n');
                current.Append(sql, i, end - i);
                i = end;
                continue;
            }

            if (c == '$' && DollarTag(sql, i) is { } tag)
            {
                var close = sql.IndexOf(tag, i + tag.Length, StringComparison.Ordinal);
                var end = close < 0 ? sql.Length : close + tag.Length;
                line += Count(sql, i, end, '\n');
                current.Append(sql, i, end - i);
                i = end;
                continue;
            }

            if (c == ';')
            {
                if (hasCode)
                {
                    statements.Add(new SqlStatement(current.ToString().Trim(), startLine));
                }

                current.Clear();
                hasCode = false;
                i++;
                continue;
            }

            if (c == '\n')
            {
                line++;
            }

            if (hasCode)
            {
                current.Append(c);
            }

            i++;
        }

        if (hasCode)
        {
            statements.Add(new SqlStatement(current.ToString().Trim(), startLine));
        }

        return statements;
    }

    /// <summary>The file without its comments, for looking for words in what will actually run.</summary>
    public static string WithoutComments(string sql) =>
        string.Join('\n', Split(sql).Select(statement => StripComments(statement.Text)));

    private static string StripComments(string text)
    {
        var builder = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '-' && Peek(text, i + 1) == '-')
            {
                var end = text.IndexOf('\n', i);
                i = end < 0 ? text.Length : end;
            }
            else if (text[i] == '/' && Peek(text, i + 1) == '*')
            {
                i = BlockCommentEnd(text, i);
            }
            else if (text[i] is '\'' or '"')
            {
                var end = QuotedEnd(text, i, text[i], escapes: false);
                builder.Append(text, i, end - i);
                i = end;
            }
            else
            {
                builder.Append(text[i]);
                i++;
            }
        }

        return builder.ToString();
    }

    private static char Peek(string text, int index) => index < text.Length ? text[index] : '\0';

    private static int Count(string text, int from, int to, char c)
    {
        var count = 0;
        for (var i = from; i < to && i < text.Length; i++)
        {
            if (text[i] == c)
            {
                count++;
            }
        }

        return count;
    }

    private static int BlockCommentEnd(string text, int start)
    {
        var depth = 0;
        var i = start;
        while (i < text.Length)
        {
            if (text[i] == '/' && Peek(text, i + 1) == '*')
            {
                depth++;
                i += 2;
            }
            else if (text[i] == '*' && Peek(text, i + 1) == '/')
            {
                depth--;
                i += 2;
                if (depth == 0)
                {
                    return i;
                }
            }
            else
            {
                i++;
            }
        }

        return text.Length;
    }

    private static int QuotedEnd(string text, int start, char quote, bool escapes)
    {
        var i = start + 1;
        while (i < text.Length)
        {
            if (escapes && text[i] == '\\')
            {
                i += 2;
                continue;
            }

            if (text[i] == quote)
            {
                if (Peek(text, i + 1) == quote)
                {
                    i += 2;
                    continue;
                }

                return i + 1;
            }

            i++;
        }

        return text.Length;
    }

    /// <summary>$$ or $tag$ at <paramref name="start"/> (not a $1 parameter), else null.</summary>
    private static string? DollarTag(string text, int start)
    {
        if (start > 0 && (char.IsLetterOrDigit(text[start - 1]) || text[start - 1] == '_'))
        {
            return null;
        }

        var i = start + 1;
        while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
        {
            i++;
        }

        return i < text.Length && text[i] == '$' && (i == start + 1 || !char.IsDigit(text[start + 1]))
            ? text[start..(i + 1)]
            : null;
    }
}
