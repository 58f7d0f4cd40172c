namespace Lab.Checker.Verification;

/// <summary>How the learner types the checker's command on this system, for messages: ./lab or lab.</summary>
public static class LabCommand
{
    public static string Name { get; } = OperatingSystem.IsWindows() ? "lab" : "./lab";

    public static string Of(string arguments) => $"{Name} {arguments}";
}
