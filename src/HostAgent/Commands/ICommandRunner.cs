namespace OrleansCloud.HostAgent.Commands;

/// <summary>
/// Runs a program with an argument array (never through a shell, so no argument is ever parsed as
/// shell syntax). A non-zero exit is a result, not an exception; a timeout cancels and kills it.
/// </summary>
public interface ICommandRunner
{
    Task<CommandResult> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken, string? standardInput = null,
        IReadOnlyDictionary<string, string>? environment = null);
}

public static class CommandRunnerExtensions
{
    /// <summary>Runs and throws <see cref="CommandFailedException"/> on a non-zero exit.</summary>
    public static async Task<CommandResult> RunCheckedAsync(this ICommandRunner runner, string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken, string? standardInput = null)
    {
        var result = await runner.RunAsync(program, arguments, cancellationToken, standardInput);
        return result.Succeeded ? result : throw new CommandFailedException(result);
    }
}
