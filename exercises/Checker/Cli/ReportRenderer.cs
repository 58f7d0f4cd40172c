using Lab.Checker.Verification;

namespace Lab.Checker.Cli;

/// <summary>Writes a report as text, with ANSI colour only when <see cref="LabConsole.UseColour"/> says so.</summary>
public static class ReportRenderer
{
    public static void Write(Report report, LabConsole console)
    {
        foreach (var line in report.Lines)
        {
            var text = new string(' ', line.Indent) + line.Text;
            console.Out.WriteLine(console.UseColour ? Colour(line.Tone, text) : text);
        }
    }

    public static string ToPlainText(Report report) =>
        string.Join('\n', report.Lines.Select(line => new string(' ', line.Indent) + line.Text)) + "\n";

    private static string Colour(Tone tone, string text) => tone switch
    {
        Tone.Heading => $"\u001b[1m{text}\u001b[0m",
        Tone.Success => $"\u001b[32m{text}\u001b[0m",
        Tone.Failure => $"\u001b[31m{text}\u001b[0m",
        Tone.Warning => $"\u001b[33m{text}\u001b[0m",
        Tone.Evidence => $"\u001b[36m{text}\u001b[0m",
        Tone.Muted => $"\u001b[2m{text}\u001b[0m",
        _ => text,
    };
}
