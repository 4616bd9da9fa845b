namespace OrleansCloud.HostAgent.Commands;

/// <summary>What a finished command left: its exit code and output.</summary>
public sealed record CommandResult(string Program, IReadOnlyList<string> Arguments, int ExitCode, string StandardOutput, string StandardError, TimeSpan Duration)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The command line as a log shows it (arguments quoted when they contain spaces).</summary>
    public string CommandLine => string.Join(' ', new[] { Program }.Concat(Arguments.Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"'{a}'" : a)));

    /// <summary>Log lines for a task: the command, then what it wrote to stderr.</summary>
    public IReadOnlyList<string> LogLines() =>
        [$"$ {CommandLine} (exit {ExitCode}, {Duration.TotalMilliseconds:0} ms)",
         .. StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => $"  stderr: {l}")];
}

/// <summary>A command that had to succeed and did not: carries the command and its stderr.</summary>
public sealed class CommandFailedException(CommandResult result)
    : Exception($"{result.Program} failed with exit code {result.ExitCode}: {FirstLine(result.StandardError)}")
{
    public CommandResult Result { get; } = result;

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "(no stderr)";
}
