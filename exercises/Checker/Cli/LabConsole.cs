namespace Lab.Checker.Cli;

/// <summary>
/// The checker's terminal: where verdicts go, where progress notes go, and whether colour and questions make
/// sense (not when output is redirected, NO_COLOR is set, or standard input is not a terminal).
/// </summary>
public sealed class LabConsole
{
    public LabConsole(TextWriter output, TextWriter status, bool useColour, bool interactive, TextReader? input = null)
    {
        Out = output;
        Status = status;
        UseColour = useColour;
        Interactive = interactive;
        In = input ?? TextReader.Null;
    }

    public TextWriter Out { get; }

    /// <summary>Progress notes ("generating the dataset..."), kept apart from the verdict on standard error.</summary>
    public TextWriter Status { get; }

    public TextReader In { get; }

    public bool UseColour { get; }

    public bool Interactive { get; }

    public static LabConsole FromSystem()
    {
        Console.OutputEncoding = System.Text.Encoding.UTF8;
        var noColour = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
            || string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);
        return new LabConsole(
            Console.Out,
            Console.Error,
            useColour: !noColour && !Console.IsOutputRedirected,
            interactive: !Console.IsInputRedirected && !Console.IsOutputRedirected,
            Console.In);
    }

    public void Note(string text) => Status.WriteLine(UseColour ? $"\u001b[2m{text}\u001b[0m" : text);
}
