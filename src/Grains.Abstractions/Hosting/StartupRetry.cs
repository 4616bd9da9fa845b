using System.Data.Common;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrleansCloud.Hosting;

/// <summary>
/// Runs a process whose start needs the database (a silo's membership, reminders and state on PostgreSQL):
/// when the start fails because the database cannot be reached yet (down, restarting, out of connection
/// slots), the process builds itself again and retries within seconds, instead of exiting into a crash loop
/// or a supervisor's back-off. Any other failure (a bad password, a missing database, a bad setting) still
/// stops the start at once with its message.
/// </summary>
public static partial class StartupRetry
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between two attempts: a process comes up at most this long after the database does.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(2);

    /// <summary>Builds, starts and runs the host until it shuts down, building it afresh after each start the database refused.</summary>
    public static async Task RunAsync(Func<IHost> build)
    {
        var delay = FirstDelay;
        for (var attempt = 1; ; attempt++)
        {
            var host = build();
            try
            {
                await host.StartAsync();
            }
            catch (Exception exception) when (IsDatabaseUnreachable(exception))
            {
                var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartupRetry).FullName!);
                LogRetrying(logger, attempt, delay.TotalSeconds, Innermost(exception).Message);
                await StopQuietly(host);
                if (!await WaitUnlessStopped(delay))
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
                continue;
            }

            try
            {
                await host.WaitForShutdownAsync();
            }
            finally
            {
                await DisposeAsync(host);
            }

            return;
        }
    }

    /// <summary>Whether a start failed because the database could not be reached (or refused a connection for now).</summary>
    public static bool IsDatabaseUnreachable(Exception? exception) => exception switch
    {
        null => false,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsDatabaseUnreachable),
        DbException db => db.IsTransient || IsDatabaseUnreachable(db.InnerException),
        SocketException or TimeoutException => true,
        _ => IsDatabaseUnreachable(exception.InnerException),
    };

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is { } inner)
        {
            exception = inner;
        }

        return exception;
    }

    private static async Task StopQuietly(IHost host)
    {
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await host.StopAsync(limit.Token);
        }
        catch (Exception)
        {
            // The start already failed; what matters is that the next attempt starts from nothing.
        }

        await DisposeAsync(host);
    }

    private static async Task DisposeAsync(IHost host)
    {
        try
        {
            if (host is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else
            {
                host.Dispose();
            }
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Waits between attempts; SIGTERM or SIGINT meanwhile ends the process cleanly (no host runs to hear them).</summary>
    private static async Task<bool> WaitUnlessStopped(TimeSpan delay)
    {
        using var stop = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        try
        {
            await Task.Delay(delay, stop.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Start attempt {Attempt} failed: the database cannot be reached ({Reason}); retrying in {DelaySeconds} s")]
    private static partial void LogRetrying(ILogger logger, int attempt, double delaySeconds, string reason);
}
