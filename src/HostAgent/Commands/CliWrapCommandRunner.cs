using System.Diagnostics;
using CliWrap;
using CliWrap.Buffered;
using Microsoft.Extensions.Logging;

namespace OrleansCloud.HostAgent.Commands;

/// <summary><see cref="ICommandRunner"/> on CliWrap: argument arrays, buffered output, cancellation kills the process.</summary>
public sealed partial class CliWrapCommandRunner(ILogger<CliWrapCommandRunner> logger) : ICommandRunner
{
    public async Task<CommandResult> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken, string? standardInput = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var command = Cli.Wrap(program)
            .WithArguments(arguments)
            .WithValidation(CommandResultValidation.None);
        if (environment is { Count: > 0 })
        {
            command = command.WithEnvironmentVariables(environment.ToDictionary(kv => kv.Key, kv => (string?)kv.Value));
        }

        if (standardInput is not null)
        {
            command = command.WithStandardInputPipe(PipeSource.FromString(standardInput));
        }

        var watch = Stopwatch.StartNew();
        var buffered = await command.ExecuteBufferedAsync(cancellationToken);
        var result = new CommandResult(program, arguments, buffered.ExitCode, buffered.StandardOutput, buffered.StandardError, watch.Elapsed);
        LogRan(logger, result.CommandLine, result.ExitCode, (long)result.Duration.TotalMilliseconds);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "ran {CommandLine}: exit {ExitCode} in {Milliseconds} ms")]
    private static partial void LogRan(ILogger logger, string commandLine, int exitCode, long milliseconds);
}
