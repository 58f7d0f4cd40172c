namespace Lab.Checker.Verification;

public enum Tone
{
    Plain,
    Heading,
    Success,
    Failure,
    Warning,
    Evidence,
    Muted,
}

public sealed record ReportLine(Tone Tone, string Text, int Indent);

/// <summary>What the checker tells the learner, as lines with a tone; rendered with colour only on a terminal.</summary>
public sealed class Report
{
    private readonly List<ReportLine> _lines = [];

    public IReadOnlyList<ReportLine> Lines => _lines;

    public Report Heading(string text) => Add(Tone.Heading, text);

    public Report Success(string text) => Add(Tone.Success, $"✓ {text}");

    public Report Failure(string text) => Add(Tone.Failure, $"✗ {text}");

    public Report Warning(string text) => Add(Tone.Warning, $"! {text}");

    public Report Line(string text, int indent = 0) => Add(Tone.Plain, text, indent);

    public Report Muted(string text, int indent = 0) => Add(Tone.Muted, text, indent);

    /// <summary>Verbatim evidence (plan lines, keys), indented under the sentence that explains it.</summary>
    public Report Evidence(IEnumerable<string> lines, int indent = 4)
    {
        foreach (var line in lines)
        {
            Add(Tone.Evidence, line, indent);
        }

        return this;
    }

    public Report Blank()
    {
        if (_lines.Count > 0 && _lines[^1].Text.Length != 0)
        {
            _lines.Add(new ReportLine(Tone.Plain, string.Empty, 0));
        }

        return this;
    }

    public Report Append(Report other)
    {
        _lines.AddRange(other._lines);
        return this;
    }

    private Report Add(Tone tone, string text, int indent = 0)
    {
        foreach (var line in text.Split('\n'))
        {
            _lines.Add(new ReportLine(tone, line.TrimEnd('\r'), indent));
        }

        return this;
    }
}
